using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>
/// A server enum modelled as a string wrapper, so that unknown values round-trip. The enum classes of
/// ConvAi.Telephony implement it; their shared members are source-generated.
/// </summary>
/// <typeparam name="TSelf">The implementing class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IExtensibleEnum<TSelf>
    where TSelf : class, IExtensibleEnum<TSelf>
{
    /// <summary>Gets the wire value.</summary>
    string Value { get; }

    /// <summary>Gets the instance of a wire value: the well-known instance when there is one, otherwise a new one.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The instance.</returns>
    static abstract TSelf Create(string value);

    /// <summary>Gets the instance of a UTF-8 wire value without allocating when it is a well-known one.</summary>
    /// <param name="utf8Value">The unescaped UTF-8 wire value.</param>
    /// <returns>The instance.</returns>
    static abstract TSelf Create(ReadOnlySpan<byte> utf8Value);
}

/// <summary>
/// Reads and writes an extensible enum as its JSON string; any string is accepted, so unknown values
/// round-trip. Public so that a source-generated <see cref="JsonSerializerContext"/> in another assembly
/// (yours, or the ASP.NET Core add-on's) can serialize the enum classes.
/// </summary>
/// <typeparam name="T">The extensible enum.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ExtensibleEnumConverter<T> : JsonConverter<T>
    where T : class, IExtensibleEnum<T>
{
    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}, found {reader.TokenType}.");
        }

        // Well-known values come back as their static instances: no string, no object.
        return reader.ValueIsEscaped || reader.HasValueSequence ? T.Create(reader.GetString()!) : T.Create(reader.ValueSpan);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.Value);
    }

    /// <inheritdoc/>
    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => T.Create(reader.GetString()!);

    /// <inheritdoc/>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WritePropertyName(value.Value);
    }
}
