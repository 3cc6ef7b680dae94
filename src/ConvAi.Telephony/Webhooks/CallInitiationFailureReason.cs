using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Why an outbound call could not be connected (<c>failure_reason</c>; note the hyphen in <c>no-answer</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<CallInitiationFailureReason>))]
public sealed partial class CallInitiationFailureReason
{
    /// <summary>The callee's line was busy. Wire value <c>busy</c>.</summary>
    public static CallInitiationFailureReason Busy { get; } = new("busy");

    /// <summary>The callee did not pick up. Wire value <c>no-answer</c>.</summary>
    public static CallInitiationFailureReason NoAnswer { get; } = new("no-answer");

    /// <summary>Any other failure, such as a connection error. Wire value <c>unknown</c>.</summary>
    public static CallInitiationFailureReason Unknown { get; } = new("unknown");
}
