using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The webhook bodies built without running a call (used by <c>convai webhooks trigger</c>).</summary>
public class EmulatedWebhookPayloadTests
{
    private static readonly DateTimeOffset EventTime = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [TestCase(EmulatedWebhookPayload.PostCallTranscription, "status", "done")]
    [TestCase(EmulatedWebhookPayload.PostCallAudio, "full_audio", "SUQzBAAAAAAAAP/7kGQ")]
    [TestCase(EmulatedWebhookPayload.CallInitiationFailure, "failure_reason", "busy")]
    public void Create_EachType_HasTheEnvelopeAndTheData(string eventType, string field, string expectedStart)
    {
        var payload = JsonNode.Parse(EmulatedWebhookPayload.Create(eventType, "conv_given", EventTime))!;

        Assert.That(payload["type"]!.GetValue<string>(), Is.EqualTo(eventType));
        Assert.That(payload["event_timestamp"]!.GetValue<long>(), Is.EqualTo(EventTime.ToUnixTimeSeconds()));
        Assert.That(payload["data"]!["conversation_id"]!.GetValue<string>(), Is.EqualTo("conv_given"));
        Assert.That(payload["data"]![field]!.GetValue<string>(), Does.StartWith(expectedStart));
    }

    [Test]
    public void Create_Transcription_EndsAtTheEventTime()
    {
        var data = JsonNode.Parse(EmulatedWebhookPayload.Create(EmulatedWebhookPayload.PostCallTranscription, "conv_1", EventTime))!["data"]!;

        Assert.That(data["metadata"]!["start_time_unix_secs"]!.GetValue<long>(), Is.EqualTo(EventTime.ToUnixTimeSeconds() - 18));
        Assert.That(data["metadata"]!["call_duration_secs"]!.GetValue<int>(), Is.EqualTo(18));
        Assert.That(data["conversation_initiation_client_data"]!["dynamic_variables"]!["customer_name"]!.GetValue<string>(), Is.EqualTo("Ana"));
        Assert.That(data["transcript"]!.AsArray(), Has.Count.EqualTo(5));
    }

    [Test]
    public void Create_Failure_IsATwilioBusyFailure()
    {
        var data = JsonNode.Parse(EmulatedWebhookPayload.Create(EmulatedWebhookPayload.CallInitiationFailure, "conv_1", EventTime))!["data"]!;

        Assert.That(data["metadata"]!["type"]!.GetValue<string>(), Is.EqualTo("twilio"));
        Assert.That(data["metadata"]!["body"]!["CallStatus"]!.GetValue<string>(), Is.EqualTo("busy"));
        Assert.That(data["metadata"]!["body"]!["To"]!.GetValue<string>(), Is.EqualTo("+14155550123"));
    }

    [Test]
    public void Create_UnknownType_Throws()
    {
        Assert.That(() => EmulatedWebhookPayload.Create("transcript", "conv_1", EventTime), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("eventType"));
        Assert.That(() => EmulatedWebhookPayload.Create(EmulatedWebhookPayload.PostCallAudio, "", EventTime), Throws.ArgumentException);
    }
}
