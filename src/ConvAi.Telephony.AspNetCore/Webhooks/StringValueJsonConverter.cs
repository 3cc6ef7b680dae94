using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>An extensible string value (a server enum that may gain new values).</summary>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
internal interface IStringValue<TSelf>
    where TSelf : struct, IStringValue<TSelf>
{
    /// <summary>The wire value.</summary>
    string Value { get; }

    /// <summary>Wraps a wire value, known or not.</summary>
    static abstract TSelf FromValue(string value);
}

/// <summary>Reads and writes an <see cref="IStringValue{TSelf}"/> as a JSON string; unknown values round-trip.</summary>
/// <typeparam name="T">The extensible value type.</typeparam>
internal sealed class StringValueJsonConverter<T> : JsonConverter<T>
    where T : struct, IStringValue<T>
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? T.FromValue(reader.GetString()!)
            : throw new JsonException($"Expected a string for {typeof(T).Name}.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
