using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ConvAi.Telephony;

/// <summary>The client's ActivitySource and instruments. One instance per container (its Meter comes from <see cref="IMeterFactory"/>).</summary>
internal sealed class ConvAiTelemetry
{
    /// <summary>The activity source, shared by every client in the process.</summary>
    public static readonly ActivitySource ActivitySource = new(ConvAiTelephonyDiagnostics.ActivitySourceName, ConvAiTelephonyInfo.Version);

    private static readonly Lazy<ConvAiTelemetry> SharedInstance = new(() => new ConvAiTelemetry(null));

    private ConversationSessionInstruments? _sessions;

    public ConvAiTelemetry(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(new MeterOptions(ConvAiTelephonyDiagnostics.MeterName) { Version = ConvAiTelephonyInfo.Version })
            ?? new Meter(ConvAiTelephonyDiagnostics.MeterName, ConvAiTelephonyInfo.Version);
        Meter = meter;
        RequestDuration = meter.CreateHistogram<double>(
            ConvAiTelephonyDiagnostics.RequestDurationInstrument, "s", "Duration of ElevenLabs API requests, retries and waits included.");
        Retries = meter.CreateCounter<long>(ConvAiTelephonyDiagnostics.RetriesInstrument, "{retry}", "Retries scheduled by the resilience pipeline.");
        OutcomeUnknown = meter.CreateCounter<long>(
            ConvAiTelephonyDiagnostics.OutcomeUnknownInstrument, "{request}", "Call-placing requests whose outcome is unknown.");
        RateLimitRejections = meter.CreateCounter<long>(
            ConvAiTelephonyDiagnostics.RateLimitRejectionsInstrument, "{response}", "429 answers received from the ElevenLabs API.");
    }

    /// <summary>Gets the instance used by clients built without a container.</summary>
    public static ConvAiTelemetry Shared => SharedInstance.Value;

    public Meter Meter { get; }

    public Histogram<double> RequestDuration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> OutcomeUnknown { get; }

    public Counter<long> RateLimitRejections { get; }

    /// <summary>Gets the instruments of live conversations, created on first use.</summary>
    public ConversationSessionInstruments Sessions => LazyInitializer.EnsureInitialized(ref _sessions, () => new ConversationSessionInstruments(Meter));

    /// <summary>Builds the only tags this library emits: the operation kind and, when known, the status code.</summary>
    public static TagList Tags(string kind, int? statusCode)
    {
        var tags = new TagList { { ConvAiTelephonyDiagnostics.OperationKindTag, kind } };
        if (statusCode is { } status)
        {
            tags.Add(ConvAiTelephonyDiagnostics.StatusCodeTag, status);
        }

        return tags;
    }
}
