using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The provider of a failed call (<c>metadata.type</c> of <c>call_initiation_failure</c>; <c>sip</c>, not <c>sip_trunk</c>). Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<CallInitiationFailureProvider>))]
public sealed partial class CallInitiationFailureProvider
{
    /// <summary>A SIP trunk; the body is a <see cref="SipCallFailureDetails"/>. Wire value <c>sip</c>.</summary>
    public static CallInitiationFailureProvider Sip { get; } = new("sip");

    /// <summary>Twilio; the body holds Twilio's status-callback parameters with PascalCase keys. Wire value <c>twilio</c>.</summary>
    public static CallInitiationFailureProvider Twilio { get; } = new("twilio");
}
