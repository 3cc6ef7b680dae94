using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The state of a batch call (note the underscore in <c>in_progress</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<BatchCallStatus>))]
public sealed partial class BatchCallStatus
{
    /// <summary>The batch waits for its scheduled time. Wire value <c>pending</c>.</summary>
    public static BatchCallStatus Pending { get; } = new("pending");

    /// <summary>The batch is dialling. Wire value <c>in_progress</c>.</summary>
    public static BatchCallStatus InProgress { get; } = new("in_progress");

    /// <summary>Every recipient was processed. Wire value <c>completed</c>.</summary>
    public static BatchCallStatus Completed { get; } = new("completed");

    /// <summary>The batch failed. Wire value <c>failed</c>.</summary>
    public static BatchCallStatus Failed { get; } = new("failed");

    /// <summary>The batch was cancelled. Wire value <c>cancelled</c>.</summary>
    public static BatchCallStatus Cancelled { get; } = new("cancelled");
}
