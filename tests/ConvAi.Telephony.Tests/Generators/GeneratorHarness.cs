using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConvAi.Telephony.Tests.Generators;

/// <summary>Runs a source generator in-process on one source file against the framework and the given assemblies.</summary>
internal static class GeneratorHarness
{
    /// <summary>Compiles <paramref name="source"/>, runs <paramref name="generator"/> on it and returns the result.</summary>
    /// <returns>The compilation with the generated trees, the generated trees alone, and the generator's diagnostics.</returns>
    public static (Compilation Compilation, IReadOnlyList<SyntaxTree> Generated, IReadOnlyList<Diagnostic> Diagnostics) Run(
        IIncrementalGenerator generator, string source, params Type[] referencedTypes)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(referencedTypes.Select(type => type.Assembly.Location))
            .Select(path => MetadataReference.CreateFromFile(path));
        var input = CSharpCompilation.Create(
            "GeneratorTest",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(generator).RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        return (output, output.SyntaxTrees.Skip(1).ToList(), diagnostics);
    }
}
