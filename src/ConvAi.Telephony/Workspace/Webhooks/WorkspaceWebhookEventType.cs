using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>A workspace-level event a webhook can subscribe to (post-call events are chosen in the agent or ConvAI settings instead). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<WorkspaceWebhookEventType>))]
public readonly struct WorkspaceWebhookEventType : IEquatable<WorkspaceWebhookEventType>, IExtensibleEnum<WorkspaceWebhookEventType>
{
    /// <summary>Initializes a new instance of the <see cref="WorkspaceWebhookEventType"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public WorkspaceWebhookEventType(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Voice Library removal notices. Wire value <c>voice_library_removal_notice</c>.</summary>
    public static WorkspaceWebhookEventType VoiceLibraryRemovalNotice { get; } = new("voice_library_removal_notice");

    /// <summary>Speech-to-text results. Wire value <c>speech_to_text</c>.</summary>
    public static WorkspaceWebhookEventType SpeechToText { get; } = new("speech_to_text");

    /// <summary>Agent QA evaluations. Wire value <c>agent_qa</c>.</summary>
    public static WorkspaceWebhookEventType AgentQa { get; } = new("agent_qa");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(WorkspaceWebhookEventType left, WorkspaceWebhookEventType right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(WorkspaceWebhookEventType left, WorkspaceWebhookEventType right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="WorkspaceWebhookEventType"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator WorkspaceWebhookEventType(string value) => new(value);

    /// <summary>Creates a <see cref="WorkspaceWebhookEventType"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static WorkspaceWebhookEventType FromString(string value) => new(value);

    static WorkspaceWebhookEventType IExtensibleEnum<WorkspaceWebhookEventType>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(WorkspaceWebhookEventType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WorkspaceWebhookEventType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
