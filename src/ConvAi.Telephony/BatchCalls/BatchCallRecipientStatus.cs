using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The state of one recipient of a batch call. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<BatchCallRecipientStatus>))]
public sealed partial class BatchCallRecipientStatus
{
    /// <summary>Not dialled yet. Wire value <c>pending</c>.</summary>
    public static BatchCallRecipientStatus Pending { get; } = new("pending");

    /// <summary>Handed to the telephony provider. Wire value <c>dispatched</c>.</summary>
    public static BatchCallRecipientStatus Dispatched { get; } = new("dispatched");

    /// <summary>The call is being set up. Wire value <c>initiated</c>.</summary>
    public static BatchCallRecipientStatus Initiated { get; } = new("initiated");

    /// <summary>The call is running. Wire value <c>in_progress</c>.</summary>
    public static BatchCallRecipientStatus InProgress { get; } = new("in_progress");

    /// <summary>The call finished. Wire value <c>completed</c>.</summary>
    public static BatchCallRecipientStatus Completed { get; } = new("completed");

    /// <summary>The call failed. Wire value <c>failed</c>.</summary>
    public static BatchCallRecipientStatus Failed { get; } = new("failed");

    /// <summary>The call was cancelled. Wire value <c>cancelled</c>.</summary>
    public static BatchCallRecipientStatus Cancelled { get; } = new("cancelled");

    /// <summary>The call reached voicemail. Wire value <c>voicemail</c>.</summary>
    public static BatchCallRecipientStatus Voicemail { get; } = new("voicemail");
}
