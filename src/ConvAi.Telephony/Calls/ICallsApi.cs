using Refit;

namespace ConvAi.Telephony;

/// <summary>Transport of the outbound-call and register-call endpoints.</summary>
internal interface ICallsApi
{
    [Post("/v1/convai/twilio/outbound-call")]
    Task<TwilioCallResult> StartTwilioCallAsync([Body] StartTwilioCallRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Post("/v1/convai/sip-trunk/outbound-call")]
    Task<SipTrunkCallResult> StartSipTrunkCallAsync([Body] StartSipTrunkCallRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    [Post("/v1/convai/exotel/outbound-call")]
    Task<ExotelCallResult> StartExotelCallAsync([Body] StartExotelCallRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);

    /// <summary>Answers <c>text/html</c> TwiML, read as a string.</summary>
    [Post("/v1/convai/twilio/register-call")]
    Task<string> RegisterTwilioCallAsync([Body] RegisterTwilioCallRequest request, [Property(RequestKinds.OptionName)] RequestKind kind, CancellationToken cancellationToken);
}
