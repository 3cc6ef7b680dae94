namespace ConvAi.Telephony;

/// <summary>
/// What may happen if a request is sent twice. The sub-client declares it where the request is made (a Refit
/// <c>[Property(RequestKinds.OptionName)]</c> parameter, which lands in <see cref="HttpRequestMessage.Options"/>), and the
/// handlers read it with <see cref="RequestKinds.Get"/>. A POST without the mark is treated as <see cref="CallPlacing"/>.
/// </summary>
internal enum RequestKind
{
    /// <summary>Safe to repeat after an ambiguous failure: reads, deletes, updates, and POSTs such as cancel and feedback.</summary>
    RetrySafe,

    /// <summary>May dial a person (outbound calls, register-call, batch submit and retry): never repeated once it may have been sent.</summary>
    CallPlacing,

    /// <summary>The phone-number import, which must not be repeated after a 5xx either.</summary>
    PhoneNumberImport,

    /// <summary>
    /// Creates a resource that a second request would duplicate (a workspace webhook, with its own secret); dials no one.
    /// Retried like the import: on 429 and when the request was never sent, not after a 5xx, 408 or timeout.
    /// </summary>
    ResourceCreation,
}
