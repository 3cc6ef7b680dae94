using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>A like or dislike given to a conversation or a message. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ConversationFeedbackScore>))]
public sealed partial class ConversationFeedbackScore
{
    /// <summary>Positive feedback. Wire value <c>like</c>.</summary>
    public static ConversationFeedbackScore Like { get; } = new("like");

    /// <summary>Negative feedback. Wire value <c>dislike</c>.</summary>
    public static ConversationFeedbackScore Dislike { get; } = new("dislike");
}
