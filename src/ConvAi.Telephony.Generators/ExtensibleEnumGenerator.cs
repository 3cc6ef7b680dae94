using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ConvAi.Telephony.Generators;

/// <summary>
/// Writes the members every extensible enum shares (constructor, <c>Value</c>, <c>Empty</c>, equality, conversions,
/// <c>FromString</c>, <c>ToString</c>) for a sealed partial class marked
/// <c>[JsonConverter(typeof(ExtensibleEnumConverter&lt;TSelf&gt;))]</c>.
/// </summary>
/// <remarks>
/// <para>
/// The <c>[JsonConverter]</c> attribute is the marker because it has to be in hand-written source anyway:
/// the System.Text.Json source generator does not see what other generators add, so a converter attribute
/// added here would be invisible to <c>ConvAiJsonContext</c>.
/// </para>
/// <para>
/// Extensible enums are sealed classes (the <c>System.Net.Http.HttpMethod</c> shape), not structs: System.Text.Json
/// compiles its generic code once for all reference types, but once per value type (and again per <c>Nullable&lt;T&gt;</c>),
/// which made each struct enum cost about 60 JIT-compiled methods on first use (issue 28). The well-known values the
/// hand-written part declares (<c>public static T Name { get; } = new("wire");</c>) are returned by <c>FromString</c>
/// and by the JSON converter instead of new instances, so reading a known value allocates nothing.
/// </para>
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class ExtensibleEnumGenerator : IIncrementalGenerator
{
    private const string JsonConverterAttribute = "System.Text.Json.Serialization.JsonConverterAttribute";
    private const string ConverterNamespace = "ConvAi.Telephony";
    private const string ConverterName = "ExtensibleEnumConverter";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var enums = context.SyntaxProvider.ForAttributeWithMetadataName(
                JsonConverterAttribute,
                static (node, _) => node is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword),
                static (ctx, cancellationToken) => Describe(ctx, cancellationToken))
            .Where(static model => model is not null);

        context.RegisterSourceOutput(enums, static (spc, model) =>
            spc.AddSource(model!.HintName, SourceText.From(Render(model), Encoding.UTF8)));
    }

    private static ExtensibleEnumModel? Describe(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || type.ContainingType is not null)
        {
            return null;
        }

        foreach (var attribute in context.Attributes)
        {
            if (attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol converter
                && IsExtensibleEnumConverter(converter)
                && SymbolEqualityComparer.Default.Equals(converter.TypeArguments[0], type))
            {
                var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
                var accessibility = type.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
                return new ExtensibleEnumModel(ns, type.Name, accessibility, KnownValues(type, cancellationToken));
            }
        }

        return null;
    }

    /// <summary>The static properties of the type's own type initialized with <c>new("literal")</c>, as "name=value" lines.</summary>
    private static string KnownValues(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        var known = new StringBuilder();
        foreach (var member in type.GetMembers())
        {
            if (member is not IPropertySymbol { IsStatic: true } property
                || !SymbolEqualityComparer.Default.Equals(property.Type, type)
                || property.DeclaringSyntaxReferences.Length != 1
                || property.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not PropertyDeclarationSyntax declaration
                || declaration.Initializer?.Value is not BaseObjectCreationExpressionSyntax creation
                || creation.ArgumentList is not { Arguments.Count: 1 } arguments
                || arguments.Arguments[0].Expression is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            known.Append(property.Name).Append('\u0001').Append(literal.Token.ValueText).Append('\n');
        }

        return known.ToString();
    }

    /// <summary>Whether <paramref name="converter"/> is <c>ConvAi.Telephony.ExtensibleEnumConverter&lt;T&gt;</c>, the marker of an extensible enum.</summary>
    internal static bool IsExtensibleEnumConverter(INamedTypeSymbol converter)
        => converter.Name == ConverterName
           && converter.TypeArguments.Length == 1
           && converter.ContainingNamespace.ToDisplayString() == ConverterNamespace;

    /// <summary>Renders the generated part of one extensible enum.</summary>
    /// <param name="model">The enum.</param>
    /// <returns>The C# source.</returns>
    internal static string Render(ExtensibleEnumModel model)
    {
        var name = model.Name;
        var known = model.KnownValues.Split(new[] { '\n' }, System.StringSplitOptions.RemoveEmptyEntries)
            .Select(static line => line.Split('\u0001'))
            .Select(static parts => (Member: parts[0], Literal: SymbolDisplay.FormatLiteral(parts[1], quote: true)))
            .ToList();
        var fromString = new StringBuilder();
        var fromUtf8 = new StringBuilder();
        foreach (var (member, literal) in known)
        {
            fromString.Append("            ").Append(literal).Append(" => ").Append(member).Append(",\n");
            fromUtf8.Append("        if (global::System.MemoryExtensions.SequenceEqual(utf8Value, ").Append(literal).Append("u8))\n")
                .Append("        {\n            return ").Append(member).Append(";\n        }\n\n");
        }

        var builder = new StringBuilder();
        builder.Append("// <auto-generated/> by ConvAi.Telephony.Generators.ExtensibleEnumGenerator\n#nullable enable\n\n");
        if (model.Namespace is not null)
        {
            builder.Append("namespace ").Append(model.Namespace).Append(";\n\n");
        }

        builder.Append($$"""
            {{model.Accessibility}} sealed partial class {{name}} : global::System.IEquatable<{{name}}>, global::ConvAi.Telephony.IExtensibleEnum<{{name}}>
            {
                /// <summary>Initializes a new instance of the <see cref="{{name}}"/> class.</summary>
                /// <param name="value">The wire value.</param>
                public {{name}}(string value) => Value = value ?? throw new global::System.ArgumentNullException(nameof(value));

                /// <summary>Gets the value as sent on the wire.</summary>
                public string Value { get; }

                /// <summary>
                /// Gets the empty value (<see cref="Value"/> is <see cref="string.Empty"/>): what a model holds when the server
                /// omitted a field that is not nullable.
                /// </summary>
                public static {{name}} Empty { get; } = new(string.Empty);

                /// <summary>Compares two values for equality (ordinal).</summary>
                /// <param name="left">The first value.</param>
                /// <param name="right">The second value.</param>
                public static bool operator ==({{name}}? left, {{name}}? right) => left is null ? right is null : left.Equals(right);

                /// <summary>Compares two values for inequality (ordinal).</summary>
                /// <param name="left">The first value.</param>
                /// <param name="right">The second value.</param>
                public static bool operator !=({{name}}? left, {{name}}? right) => !(left == right);

                /// <summary>Converts a wire value to a <see cref="{{name}}"/>.</summary>
                /// <param name="value">The wire value.</param>
                public static implicit operator {{name}}(string value) => FromString(value);

                /// <summary>Gets the <see cref="{{name}}"/> of a wire value: the well-known instance when there is one, otherwise a new one.</summary>
                /// <param name="value">The wire value.</param>
                /// <returns>The value.</returns>
                public static {{name}} FromString(string value) => value switch
                {
            {{fromString}}            _ => new(value),
                };

                static {{name}} global::ConvAi.Telephony.IExtensibleEnum<{{name}}>.Create(string value) => FromString(value);

                static {{name}} global::ConvAi.Telephony.IExtensibleEnum<{{name}}>.Create(global::System.ReadOnlySpan<byte> utf8Value)
                {
            {{fromUtf8}}        return new(global::System.Text.Encoding.UTF8.GetString(utf8Value));
                }

                /// <inheritdoc/>
                public bool Equals({{name}}? other) => other is not null && string.Equals(Value, other.Value, global::System.StringComparison.Ordinal);

                /// <inheritdoc/>
                public override bool Equals(object? obj) => obj is {{name}} other && Equals(other);

                /// <inheritdoc/>
                public override int GetHashCode() => global::System.StringComparer.Ordinal.GetHashCode(Value);

                /// <inheritdoc/>
                public override string ToString() => Value;
            }

            """);
        return builder.ToString();
    }
}

/// <summary>What the generator needs to know about one extensible enum (value-equal, so the incremental pipeline caches it).</summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="Name">The class name.</param>
/// <param name="Accessibility">The C# accessibility keyword.</param>
/// <param name="KnownValues">The well-known values, one <c>member\u0001wire value</c> per line (a string, so the model stays value-equal).</param>
internal sealed record ExtensibleEnumModel(string? Namespace, string Name, string Accessibility, string KnownValues)
{
    /// <summary>Gets the generated file's hint name.</summary>
    public string HintName => (Namespace is null ? Name : Namespace + "." + Name) + ".g.cs";
}
