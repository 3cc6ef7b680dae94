using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The body of <c>POST /v1/convai/conversations/{id}/feedback</c>; null is sent explicitly to clear feedback.</summary>
internal sealed record ConversationFeedbackRequest
{
    [JsonPropertyName("feedback")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ConversationFeedbackScore? Feedback { get; init; }
}
