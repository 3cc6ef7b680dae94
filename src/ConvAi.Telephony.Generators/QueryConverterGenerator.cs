using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ConvAi.Telephony.Generators;

/// <summary>
/// Writes Refit's <c>IQueryConverter&lt;T&gt;.Flatten</c> for a partial class marked
/// <c>[GeneratedQueryConverter(typeof(T))]</c>, so that a list of query filters is written once: as the public
/// properties of <c>T</c>. Each property becomes one query key, its name in snake case (<c>CallStartBeforeUnix</c> is
/// <c>call_start_before_unix</c>), in declaration order; an unset (null) property is left out, a list is sent as repeated
/// keys, numbers in the invariant culture, <c>bool</c> and request-only enums through <c>ToWire()</c>, extensible enums
/// as their wire value. A property of any other type is a compile error (CVT0001), never a silently dropped filter.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class QueryConverterGenerator : IIncrementalGenerator
{
    private const string MarkerAttribute = "ConvAi.Telephony.GeneratedQueryConverterAttribute";

    private static readonly DiagnosticDescriptor UnsupportedProperty = new(
        "CVT0001",
        "Query property type not supported",
        "{0}.{1} has type {2}, which the query converter cannot write: use string, int?, long?, bool?, an enum with a ToWire() extension, an extensible enum, or a list of string, enum or extensible enum",
        "ConvAi.Telephony.Generators",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var converters = context.SyntaxProvider.ForAttributeWithMetadataName(
                MarkerAttribute,
                static (node, _) => node is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword),
                static (ctx, _) => Describe(ctx))
            .Where(static model => model is not null);

        context.RegisterSourceOutput(converters, static (spc, model) =>
        {
            foreach (var error in model!.Errors)
            {
                spc.ReportDiagnostic(Diagnostic.Create(UnsupportedProperty, error.Location, error.Type, error.Property, error.PropertyType));
            }

            if (model.Errors.Count == 0)
            {
                spc.AddSource(model.HintName, SourceText.From(Render(model), Encoding.UTF8));
            }
        });
    }

    private static QueryConverterModel? Describe(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not INamedTypeSymbol converter
            || context.Attributes.FirstOrDefault()?.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol options)
        {
            return null;
        }

        var entries = new List<QueryEntry>();
        var errors = new List<QueryError>();
        foreach (var property in options.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.DeclaredAccessibility != Accessibility.Public || property.IsStatic || property.IsIndexer)
            {
                continue;
            }

            var kind = Classify(property.Type);
            if (kind is null)
            {
                errors.Add(new QueryError(
                    options.Name,
                    property.Name,
                    property.Type.ToDisplayString(),
                    property.Locations.FirstOrDefault() ?? Location.None));
                continue;
            }

            entries.Add(new QueryEntry(property.Name, SnakeCase(property.Name), kind.Value));
        }

        var ns = converter.ContainingNamespace.IsGlobalNamespace ? null : converter.ContainingNamespace.ToDisplayString();
        return new QueryConverterModel(ns, converter.Name, options.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), entries, errors);
    }

    /// <summary>How one property's value is written, or null when the generator cannot write it.</summary>
    private static ValueKind? Classify(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return ValueKind.Text;
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
                return ValueKind.Number;
            case SpecialType.System_Boolean:
                return ValueKind.Wire;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return ValueKind.Wire;
        }

        if (IsExtensibleEnum(type))
        {
            return ValueKind.Extensible;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } list
            && list.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IEnumerable<T>")
        {
            return Classify(list.TypeArguments[0]) switch
            {
                ValueKind.Text => ValueKind.TextList,
                ValueKind.Extensible => ValueKind.ExtensibleList,
                ValueKind.Wire when list.TypeArguments[0].TypeKind == TypeKind.Enum => ValueKind.WireList,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>An extensible enum is marked the way <see cref="ExtensibleEnumGenerator"/> finds it.</summary>
    private static bool IsExtensibleEnum(ITypeSymbol type)
        => type.GetAttributes().Any(attribute =>
            attribute.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonConverterAttribute"
            && attribute.ConstructorArguments.Length == 1
            && attribute.ConstructorArguments[0].Value is INamedTypeSymbol converter
            && ExtensibleEnumGenerator.IsExtensibleEnumConverter(converter));

    /// <summary>
    /// <c>AgentId</c> to <c>agent_id</c>: an underscore before an upper-case letter that follows a lower-case letter or a
    /// digit, or that starts a word after an acronym (<c>HTTPServer</c> to <c>http_server</c>).
    /// </summary>
    internal static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsUpper(name[i - 1]) && char.IsLower(name[i + 1]))))
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>Renders the generated <c>Flatten</c> method.</summary>
    internal static string Render(QueryConverterModel model)
    {
        var builder = new StringBuilder();
        builder.Append("// <auto-generated/> by ConvAi.Telephony.Generators.QueryConverterGenerator\n#nullable enable\n\n");
        if (model.Namespace is not null)
        {
            builder.Append("namespace ").Append(model.Namespace).Append(";\n\n");
        }

        builder.Append("partial class ").Append(model.Name).Append('\n').Append("{\n");
        builder.Append("    /// <inheritdoc/>\n");
        builder.Append("    /// <remarks>The parameter declares no <c>[Query(Prefix)]</c>, so <paramref name=\"keyPrefix\"/> is always empty.</remarks>\n");
        builder.Append("    public void Flatten(").Append(model.OptionsType)
            .Append(" value, string keyPrefix, ref global::Refit.GeneratedQueryStringBuilder builder, global::Refit.RefitSettings settings)\n    {\n");
        builder.Append("        global::System.ArgumentNullException.ThrowIfNull(value);\n");
        foreach (var entry in model.Entries)
        {
            var item = "__" + entry.Property;
            var (test, add) = entry.Kind switch
            {
                ValueKind.Text => ($"value.{entry.Property} is {{ }} {item}", $"builder.Add(\"{entry.Key}\", {item}, false);"),
                ValueKind.Number => ($"value.{entry.Property} is {{ }} {item}", $"builder.Add(\"{entry.Key}\", {item}.ToString(global::System.Globalization.CultureInfo.InvariantCulture), false);"),
                ValueKind.Wire => ($"value.{entry.Property} is {{ }} {item}", $"builder.Add(\"{entry.Key}\", global::ConvAi.Telephony.WireNames.ToWire({item}), false);"),
                ValueKind.Extensible => ($"value.{entry.Property} is {{ }} {item}", $"builder.Add(\"{entry.Key}\", {item}.Value, false);"),
                ValueKind.TextList => ($"value.{entry.Property} is {{ }} {item}", $"foreach (var element in {item}) builder.Add(\"{entry.Key}\", element, false);"),
                ValueKind.WireList => ($"value.{entry.Property} is {{ }} {item}", $"foreach (var element in {item}) builder.Add(\"{entry.Key}\", global::ConvAi.Telephony.WireNames.ToWire(element), false);"),
                _ => ($"value.{entry.Property} is {{ }} {item}", $"foreach (var element in {item}) builder.Add(\"{entry.Key}\", element.Value, false);"),
            };
            builder.Append("        if (").Append(test).Append(")\n        {\n            ").Append(add).Append("\n        }\n\n");
        }

        builder.Length -= 1;
        builder.Append("    }\n}\n");
        return builder.ToString();
    }
}

/// <summary>How a property's value goes into the query string.</summary>
internal enum ValueKind
{
    Text,
    Number,
    Wire,
    Extensible,
    TextList,
    WireList,
    ExtensibleList,
}

/// <summary>One query key.</summary>
internal sealed record QueryEntry(string Property, string Key, ValueKind Kind);

/// <summary>A property the generator cannot write.</summary>
internal sealed record QueryError(string Type, string Property, string PropertyType, Location Location);

/// <summary>The converter to complete and the options type it writes.</summary>
internal sealed record QueryConverterModel(string? Namespace, string Name, string OptionsType, IReadOnlyList<QueryEntry> Entries, IReadOnlyList<QueryError> Errors)
{
    public string HintName => (Namespace is null ? string.Empty : Namespace + ".") + Name + ".g.cs";
}
