namespace ConvAi.Telephony.Testing;

/// <summary>Conversation status values on the wire (hyphenated, unlike batch statuses).</summary>
internal static class ConversationStatuses
{
    public const string Initiated = "initiated";
    public const string InProgress = "in-progress";
    public const string Processing = "processing";
    public const string Done = "done";
    public const string Failed = "failed";

    public static readonly string[] All = [Initiated, InProgress, Processing, Done, Failed];
}
