using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>The <c>type</c> of an ElevenLabs webhook payload. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConvAiWebhookEventType>))]
public readonly struct ConvAiWebhookEventType : IEquatable<ConvAiWebhookEventType>, IExtensibleEnum<ConvAiWebhookEventType>
{
    /// <summary>Initializes a new instance of the <see cref="ConvAiWebhookEventType"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ConvAiWebhookEventType(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The transcript, analysis and metadata of a finished conversation. Wire value <c>post_call_transcription</c>.</summary>
    public static ConvAiWebhookEventType PostCallTranscription { get; } = new("post_call_transcription");

    /// <summary>The base64-encoded MP3 audio of a finished conversation. Wire value <c>post_call_audio</c>.</summary>
    public static ConvAiWebhookEventType PostCallAudio { get; } = new("post_call_audio");

    /// <summary>An outbound call that could not be connected. Wire value <c>call_initiation_failure</c>.</summary>
    public static ConvAiWebhookEventType CallInitiationFailure { get; } = new("call_initiation_failure");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ConvAiWebhookEventType left, ConvAiWebhookEventType right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ConvAiWebhookEventType left, ConvAiWebhookEventType right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ConvAiWebhookEventType"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConvAiWebhookEventType(string value) => new(value);

    /// <summary>Creates a <see cref="ConvAiWebhookEventType"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ConvAiWebhookEventType FromString(string value) => new(value);

    static ConvAiWebhookEventType IExtensibleEnum<ConvAiWebhookEventType>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConvAiWebhookEventType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConvAiWebhookEventType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
