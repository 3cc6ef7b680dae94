using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>What started a conversation. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationInitiationSource>))]
public readonly struct ConversationInitiationSource : IEquatable<ConversationInitiationSource>, IExtensibleEnum<ConversationInitiationSource>
{
    /// <summary>Initializes a new instance of the <see cref="ConversationInitiationSource"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ConversationInitiationSource(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The source is not known. Wire value <c>unknown</c>.</summary>
    public static ConversationInitiationSource Unknown { get; } = new("unknown");

    /// <summary>The web widget. Wire value <c>widget</c>.</summary>
    public static ConversationInitiationSource Widget { get; } = new("widget");

    /// <summary>A SIP trunk. Wire value <c>sip_trunk</c>.</summary>
    public static ConversationInitiationSource SipTrunk { get; } = new("sip_trunk");

    /// <summary>Twilio. Wire value <c>twilio</c>.</summary>
    public static ConversationInitiationSource Twilio { get; } = new("twilio");

    /// <summary>Exotel. Wire value <c>exotel</c>.</summary>
    public static ConversationInitiationSource Exotel { get; } = new("exotel");

    /// <summary>WhatsApp. Wire value <c>whatsapp</c>.</summary>
    public static ConversationInitiationSource WhatsApp { get; } = new("whatsapp");

    /// <summary>The Python SDK. Wire value <c>python_sdk</c>.</summary>
    public static ConversationInitiationSource PythonSdk { get; } = new("python_sdk");

    /// <summary>The JavaScript SDK. Wire value <c>js_sdk</c>.</summary>
    public static ConversationInitiationSource JsSdk { get; } = new("js_sdk");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ConversationInitiationSource left, ConversationInitiationSource right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ConversationInitiationSource left, ConversationInitiationSource right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ConversationInitiationSource"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConversationInitiationSource(string value) => new(value);

    /// <summary>Creates a <see cref="ConversationInitiationSource"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ConversationInitiationSource FromString(string value) => new(value);

    static ConversationInitiationSource IExtensibleEnum<ConversationInitiationSource>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConversationInitiationSource other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ConversationInitiationSource other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
