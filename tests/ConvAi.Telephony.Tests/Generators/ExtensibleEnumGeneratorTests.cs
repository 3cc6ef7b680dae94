using System.Reflection;
using ConvAi.Telephony.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvAi.Telephony.Tests.Generators;

/// <summary>Runs the extensible-enum generator in-process on small sources and compiles the result.</summary>
public class ExtensibleEnumGeneratorTests
{
    private const string Usings = "using System.Text.Json.Serialization;\nusing ConvAi.Telephony;\n";

    [Test]
    public void Generate_MarkedPartialStruct_WritesMembersThatCompileAndWork()
    {
        var (compilation, generated) = Run(Usings + """
            namespace Sample;

            /// <summary>A colour.</summary>
            [JsonConverter(typeof(ExtensibleEnumConverter<Colour>))]
            public readonly partial struct Colour
            {
                /// <summary>Red.</summary>
                public static Colour Red { get; } = new("red");
            }
            """);

        Assert.That(generated.Select(t => Path.GetFileName(t.FilePath)), Is.EqualTo(new[] { "Sample.Colour.g.cs" }));
        Assert.That(Errors(compilation), Is.Empty);
        using var stream = new MemoryStream();
        Assert.That(compilation.Emit(stream).Success, Is.True);
        var colour = Assembly.Load(stream.ToArray()).GetType("Sample.Colour")!;
        var red = colour.GetProperty("Red")!.GetValue(null)!;
        var parsed = colour.GetMethod("FromString")!.Invoke(null, ["red"])!;
        Assert.That(colour.GetProperty("Value")!.GetValue(red), Is.EqualTo("red"));
        Assert.That(parsed, Is.EqualTo(red));
        Assert.That(colour.GetMethod("op_Equality")!.Invoke(null, [red, parsed]), Is.True);
        Assert.That(Activator.CreateInstance(colour)!.ToString(), Is.EqualTo(string.Empty));
    }

    [Test]
    public void Generate_InternalStructInGlobalNamespace_KeepsAccessibility()
    {
        var (compilation, generated) = Run(Usings + """
            [JsonConverter(typeof(ExtensibleEnumConverter<Shade>))]
            internal readonly partial struct Shade
            {
            }
            """);

        Assert.That(generated.Single().GetText().ToString(), Does.Contain("internal readonly partial struct Shade"));
        Assert.That(Errors(compilation), Is.Empty);
    }

    [TestCase("[JsonConverter(typeof(JsonStringEnumConverter))] public readonly partial struct Plain { }", TestName = "Generate_OtherConverter_WritesNothing")]
    [TestCase("public readonly partial struct Plain { }", TestName = "Generate_NoConverter_WritesNothing")]
    [TestCase("[JsonConverter(typeof(ExtensibleEnumConverter<Other>))] public readonly partial struct Plain { } [JsonConverter(typeof(ExtensibleEnumConverter<Other>))] public readonly partial struct Other { }", TestName = "Generate_ConverterOfAnotherType_WritesOnlyForThatType")]
    public void Generate_NotMarkedForItself_WritesNothingForPlain(string source)
    {
        var (_, generated) = Run(Usings + source);

        Assert.That(generated.Select(t => Path.GetFileName(t.FilePath)), Has.None.EqualTo("Plain.g.cs"));
    }

    [Test]
    public void Generate_NonPartialStruct_WritesNothingAndTheCompilerSaysWhy()
    {
        var (compilation, generated) = Run(Usings + "[JsonConverter(typeof(ExtensibleEnumConverter<Solid>))] public readonly struct Solid { }");

        Assert.That(generated, Is.Empty);
        Assert.That(Errors(compilation).Select(d => d.Id), Does.Contain("CS0315"), "Solid does not implement IExtensibleEnum<Solid>");
    }

    private static (Compilation Compilation, IReadOnlyList<SyntaxTree> Generated) Run(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(ExtensibleEnumConverter<>).Assembly.Location)
            .Select(path => MetadataReference.CreateFromFile(path));
        var input = CSharpCompilation.Create(
            "GeneratorTest",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new ExtensibleEnumGenerator())
            .RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        Assert.That(diagnostics, Is.Empty);
        return (output, output.SyntaxTrees.Skip(1).ToList());
    }

    private static IEnumerable<Diagnostic> Errors(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
}
