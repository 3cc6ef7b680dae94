using ConvAi.Telephony.Generators;
using Microsoft.CodeAnalysis;

namespace ConvAi.Telephony.Tests.Generators;

/// <summary>
/// Runs the query-converter generator in-process on small sources. The real converter's output is pinned end to end by
/// <c>ConversationsClientTests.ListAsync_EveryFilter_SendsSnakeCaseQueryWithRepeatedArrayKeys</c>.
/// </summary>
public class QueryConverterGeneratorTests
{
    private const string Marker = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using ConvAi.Telephony;
        using Refit;

        namespace ConvAi.Telephony
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            internal sealed class GeneratedQueryConverterAttribute(System.Type optionsType) : System.Attribute { public System.Type OptionsType { get; } = optionsType; }
        }

        """;

    [TestCase("Cursor", "cursor")]
    [TestCase("AgentId", "agent_id")]
    [TestCase("CallStartBeforeUnix", "call_start_before_unix")]
    [TestCase("ConversationInitiationSource", "conversation_initiation_source")]
    [TestCase("Page2Size", "page2_size")]
    [TestCase("HTTPServer", "http_server")]
    [TestCase("UserID", "user_id")]
    public void Generate_PropertyName_InSnakeCase_IsTheWireKey(string property, string key)
        => Assert.That(Keys($"public string? {property} {{ get; init; }}"), Is.EqualTo(new[] { key }));

    [Test]
    public void Generate_SupportedProperties_WritesOneKeyPerPropertyInDeclarationOrderAndCompiles()
    {
        var (compilation, generated, diagnostics) = RunOn("""
            public string? Search { get; init; }
            public int? PageSize { get; init; }
            public long? StartedAfterUnix { get; init; }
            public IReadOnlyList<string>? TagIds { get; init; }
            public static string Ignored => "static properties are not filters";
            internal string? AlsoIgnored { get; init; }
            """);

        Assert.That(diagnostics, Is.Empty);
        Assert.That(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty);
        Assert.That(KeysOf(generated.Single()), Is.EqualTo(new[] { "search", "page_size", "started_after_unix", "tag_ids" }));
    }

    [Test]
    public void Generate_UnsupportedPropertyType_IsACompileErrorNamingIt_AndWritesNothing()
    {
        var (_, generated, diagnostics) = RunOn("""
            public string? Search { get; init; }
            public System.DateTimeOffset? Since { get; init; }
            """);

        Assert.That(generated, Is.Empty);
        var error = diagnostics.Single();
        Assert.That(error.Id, Is.EqualTo("CVT0001"));
        Assert.That(error.Severity, Is.EqualTo(DiagnosticSeverity.Error));
        Assert.That(error.GetMessage(), Does.StartWith("Filters.Since has type System.DateTimeOffset?"));
    }

    private static IEnumerable<string> Keys(string properties)
    {
        var (_, generated, diagnostics) = RunOn(properties);
        Assert.That(diagnostics, Is.Empty);
        return KeysOf(generated.Single());
    }

    private static IEnumerable<string> KeysOf(SyntaxTree generated)
        => System.Text.RegularExpressions.Regex.Matches(generated.GetText().ToString(), "builder\\.Add\\(\"([a-z_0-9]+)\"").Select(m => m.Groups[1].Value).ToList();

    /// <summary>Runs the generator on an options record <c>Filters</c> with <paramref name="properties"/> and its marked converter.</summary>
    private static (Compilation Compilation, IReadOnlyList<SyntaxTree> Generated, IReadOnlyList<Diagnostic> Diagnostics) RunOn(string properties)
        => Run(Marker + $$"""
            namespace Sample
            {
                public sealed record Filters
                {
                    {{properties}}
                }

                [GeneratedQueryConverter(typeof(Filters))]
                internal sealed partial class FiltersQuery : IQueryConverter<Filters>;
            }
            """);

    private static (Compilation Compilation, IReadOnlyList<SyntaxTree> Generated, IReadOnlyList<Diagnostic> Diagnostics) Run(string source)
        => GeneratorHarness.Run(new QueryConverterGenerator(), source, typeof(Refit.IQueryConverter<>));
}
