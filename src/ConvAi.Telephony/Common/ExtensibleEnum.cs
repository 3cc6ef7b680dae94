using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>A server enum modelled as a string wrapper, so that unknown values round-trip.</summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal interface IExtensibleEnum<TSelf>
    where TSelf : struct, IExtensibleEnum<TSelf>
{
    /// <summary>Gets the wire value.</summary>
    string Value { get; }

    /// <summary>Creates an instance from a wire value.</summary>
    static abstract TSelf Create(string value);
}

/// <summary>Reads and writes an extensible enum as its JSON string; any string is accepted.</summary>
/// <typeparam name="T">The extensible enum.</typeparam>
internal sealed class ExtensibleEnumConverter<T> : JsonConverter<T>
    where T : struct, IExtensibleEnum<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string for {typeof(T).Name}, found {reader.TokenType}.");
        }

        return T.Create(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Value ?? string.Empty);

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => T.Create(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        => writer.WritePropertyName(value.Value ?? string.Empty);
}
