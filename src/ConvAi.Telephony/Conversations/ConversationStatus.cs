using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The state of a conversation (note the hyphen in <c>in-progress</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationStatus>))]
public sealed partial class ConversationStatus
{
    /// <summary>The conversation was created and the call is being set up. Wire value <c>initiated</c>.</summary>
    public static ConversationStatus Initiated { get; } = new("initiated");

    /// <summary>The conversation is running. Wire value <c>in-progress</c>.</summary>
    public static ConversationStatus InProgress { get; } = new("in-progress");

    /// <summary>The conversation ended and is being analysed. Wire value <c>processing</c>.</summary>
    public static ConversationStatus Processing { get; } = new("processing");

    /// <summary>The conversation is finished and analysed. Wire value <c>done</c>.</summary>
    public static ConversationStatus Done { get; } = new("done");

    /// <summary>The conversation failed. Wire value <c>failed</c>.</summary>
    public static ConversationStatus Failed { get; } = new("failed");
}
