using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ConvAi.Telephony;

/// <summary>The metrics of live conversations, on the client's <see cref="Meter"/>. Tags hold message direction and type only.</summary>
internal sealed class ConversationSessionInstruments
{
    public ConversationSessionInstruments(Meter meter)
    {
        Active = meter.CreateUpDownCounter<long>(
            ConvAiTelephonyDiagnostics.SessionsActiveInstrument, "{session}", "Live conversations with an agent open now.");
        Messages = meter.CreateCounter<long>(
            ConvAiTelephonyDiagnostics.SessionMessagesInstrument, "{message}", "Messages sent to and received from agents in live conversations.");
        PingLatency = meter.CreateHistogram<double>(
            ConvAiTelephonyDiagnostics.SessionPingLatencyInstrument, "s", "Round-trip time the agent reports in its pings.");
    }

    public UpDownCounter<long> Active { get; }

    public Counter<long> Messages { get; }

    public Histogram<double> PingLatency { get; }

    public void Sent(string type)
    {
        if (Messages.Enabled)
        {
            Messages.Add(1, new TagList { { ConvAiTelephonyDiagnostics.MessageDirectionTag, "sent" }, { ConvAiTelephonyDiagnostics.MessageTypeTag, type } });
        }
    }

    public void Received(string type)
    {
        if (Messages.Enabled)
        {
            Messages.Add(1, new TagList { { ConvAiTelephonyDiagnostics.MessageDirectionTag, "received" }, { ConvAiTelephonyDiagnostics.MessageTypeTag, type } });
        }
    }
}
