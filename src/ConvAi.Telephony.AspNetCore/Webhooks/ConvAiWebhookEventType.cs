using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The <c>type</c> of an ElevenLabs webhook payload. Extensible: values this version does not know are kept as-is.
/// </summary>
[JsonConverter(typeof(StringValueJsonConverter<ConvAiWebhookEventType>))]
public readonly struct ConvAiWebhookEventType : IEquatable<ConvAiWebhookEventType>, IStringValue<ConvAiWebhookEventType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The wire value, e.g. <c>post_call_transcription</c>.</param>
    public ConvAiWebhookEventType(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The transcript, analysis and metadata of a finished conversation.</summary>
    public static ConvAiWebhookEventType PostCallTranscription { get; } = new("post_call_transcription");

    /// <summary>The base64-encoded MP3 audio of a finished conversation.</summary>
    public static ConvAiWebhookEventType PostCallAudio { get; } = new("post_call_audio");

    /// <summary>An outbound call that could not be connected (busy, no answer, error).</summary>
    public static ConvAiWebhookEventType CallInitiationFailure { get; } = new("call_initiation_failure");

    /// <summary>The wire value; empty for a default instance.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Compares two values by their wire form (ordinal).</summary>
    public static bool operator ==(ConvAiWebhookEventType left, ConvAiWebhookEventType right) => left.Equals(right);

    /// <summary>Compares two values by their wire form (ordinal).</summary>
    public static bool operator !=(ConvAiWebhookEventType left, ConvAiWebhookEventType right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(ConvAiWebhookEventType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ConvAiWebhookEventType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    static ConvAiWebhookEventType IStringValue<ConvAiWebhookEventType>.FromValue(string value) => new(value);
}
