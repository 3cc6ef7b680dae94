using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// A server enum modelled as a string wrapper, so that unknown values round-trip. The enum structs of
/// ConvAi.Telephony implement it; their shared members are source-generated.
/// </summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IExtensibleEnum<TSelf>
    where TSelf : struct, IExtensibleEnum<TSelf>
{
    /// <summary>Gets the wire value (null only in <c>default(TSelf)</c>).</summary>
    string Value { get; }

    /// <summary>Creates an instance from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The instance.</returns>
    static abstract TSelf Create(string value);
}

/// <summary>
/// Reads and writes an extensible enum as its JSON string; any string is accepted, so unknown values
/// round-trip. Public so that a source-generated <see cref="JsonSerializerContext"/> in another assembly
/// (yours, or the ASP.NET Core add-on's) can serialize the enum structs.
/// </summary>
/// <typeparam name="T">The extensible enum.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ExtensibleEnumConverter<T> : JsonConverter<T>
    where T : struct, IExtensibleEnum<T>
{
    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}, found {reader.TokenType}.");
        }

        return T.Create(reader.GetString()!);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value ?? string.Empty);
    }

    /// <inheritdoc/>
    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => T.Create(reader.GetString()!);

    /// <inheritdoc/>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.Value ?? string.Empty);
    }
}
