using System.Reflection;
using ConvAi.Telephony.Generators;
using Microsoft.CodeAnalysis;

namespace ConvAi.Telephony.Tests.Generators;

/// <summary>Runs the extensible-enum generator in-process on small sources and compiles the result.</summary>
public class ExtensibleEnumGeneratorTests
{
    private const string Usings = "using System.Text.Json.Serialization;\nusing ConvAi.Telephony;\n";

    [Test]
    public void Generate_MarkedPartialClass_WritesMembersThatCompileAndWork()
    {
        var (compilation, generated) = Run(Usings + """
            namespace Sample;

            /// <summary>A colour.</summary>
            [JsonConverter(typeof(ExtensibleEnumConverter<Colour>))]
            public sealed partial class Colour
            {
                /// <summary>Red.</summary>
                public static Colour Red { get; } = new("red");

                /// <summary>Dark blue, declared with the type name.</summary>
                public static Colour DarkBlue { get; } = new Colour("dark \"blue\"");
            }
            """);

        Assert.That(generated.Select(t => Path.GetFileName(t.FilePath)), Is.EqualTo(new[] { "Sample.Colour.g.cs" }));
        Assert.That(Errors(compilation), Is.Empty);
        using var stream = new MemoryStream();
        Assert.That(compilation.Emit(stream).Success, Is.True);
        var colour = Assembly.Load(stream.ToArray()).GetType("Sample.Colour")!;
        var red = colour.GetProperty("Red")!.GetValue(null)!;
        var darkBlue = colour.GetProperty("DarkBlue")!.GetValue(null)!;
        var fromString = colour.GetMethod("FromString")!;
        var parsed = fromString.Invoke(null, ["red"])!;
        var green = fromString.Invoke(null, ["green"])!;
        Assert.That(colour.GetProperty("Value")!.GetValue(red), Is.EqualTo("red"));
        Assert.That(parsed, Is.SameAs(red), "a known value is its static instance");
        Assert.That(fromString.Invoke(null, ["dark \"blue\""]), Is.SameAs(darkBlue));
        Assert.That(green, Is.Not.SameAs(fromString.Invoke(null, ["green"])).And.EqualTo(fromString.Invoke(null, ["green"])));
        Assert.That(colour.GetMethod("op_Equality")!.Invoke(null, [red, parsed]), Is.True);
        Assert.That(colour.GetMethod("op_Equality")!.Invoke(null, [red, null]), Is.False);
        Assert.That(colour.GetMethod("op_Equality")!.Invoke(null, [null, null]), Is.True);
        Assert.That(colour.GetProperty("Empty")!.GetValue(null)!.ToString(), Is.EqualTo(string.Empty));
    }

    [Test]
    public void Generate_InternalClassInGlobalNamespace_KeepsAccessibility()
    {
        var (compilation, generated) = Run(Usings + """
            [JsonConverter(typeof(ExtensibleEnumConverter<Shade>))]
            internal sealed partial class Shade
            {
            }
            """);

        Assert.That(generated.Single().GetText().ToString(), Does.Contain("internal sealed partial class Shade"));
        Assert.That(Errors(compilation), Is.Empty);
    }

    [TestCase("[JsonConverter(typeof(JsonStringEnumConverter))] public sealed partial class Plain { }", TestName = "Generate_OtherConverter_WritesNothing")]
    [TestCase("public sealed partial class Plain { }", TestName = "Generate_NoConverter_WritesNothing")]
    [TestCase("[JsonConverter(typeof(ExtensibleEnumConverter<Other>))] public sealed partial class Plain { } [JsonConverter(typeof(ExtensibleEnumConverter<Other>))] public sealed partial class Other { }", TestName = "Generate_ConverterOfAnotherType_WritesOnlyForThatType")]
    [TestCase("[JsonConverter(typeof(ExtensibleEnumConverter<Plain>))] public readonly partial struct Plain { }", TestName = "Generate_PartialStruct_WritesNothing")]
    public void Generate_NotMarkedForItself_WritesNothingForPlain(string source)
    {
        var (_, generated) = Run(Usings + source);

        Assert.That(generated.Select(t => Path.GetFileName(t.FilePath)), Has.None.EqualTo("Plain.g.cs"));
    }

    [Test]
    public void Generate_NonPartialClass_WritesNothingAndTheCompilerSaysWhy()
    {
        var (compilation, generated) = Run(Usings + "[JsonConverter(typeof(ExtensibleEnumConverter<Solid>))] public sealed class Solid { }");

        Assert.That(generated, Is.Empty);
        Assert.That(Errors(compilation).Select(d => d.Id), Does.Contain("CS0311"), "Solid does not implement IExtensibleEnum<Solid>");
    }

    private static (Compilation Compilation, IReadOnlyList<SyntaxTree> Generated) Run(string source)
    {
        var (compilation, generated, diagnostics) = GeneratorHarness.Run(new ExtensibleEnumGenerator(), source, typeof(ExtensibleEnumConverter<>));
        Assert.That(diagnostics, Is.Empty);
        return (compilation, generated);
    }

    private static IEnumerable<Diagnostic> Errors(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}
