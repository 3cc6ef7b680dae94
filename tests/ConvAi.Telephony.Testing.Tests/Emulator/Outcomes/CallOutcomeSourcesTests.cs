namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// Every outcome kind through both sources, against the emulator on a fake clock: the same call is awaited by an app that
/// receives the signed post-call webhooks (events only, no polling) and by one that only polls; both answers must be equal.
/// </summary>
public class CallOutcomeSourcesTests
{
    private static readonly CallOutcomeWaitOptions EventsOnly = new() { Poll = false, Timeout = TimeSpan.FromDays(1) };
    private static readonly CallOutcomeWaitOptions PollOnly = new() { Timeout = TimeSpan.FromDays(1) };

    private static IEnumerable<TestCaseData> Kinds()
    {
        foreach (var sip in new[] { false, true })
        {
            var provider = sip ? "SIP" : "Twilio";
            yield return new TestCaseData(OutcomeApp.Answers, sip, CallOutcomeKind.Completed, "success", null).SetName($"{{m}}({provider}, completed)");
            yield return new TestCaseData(OutcomeApp.Unsuccessful, sip, CallOutcomeKind.Completed, "failure", null).SetName($"{{m}}({provider}, completed unsuccessful)");
            yield return new TestCaseData(OutcomeApp.Voicemail, sip, CallOutcomeKind.Voicemail, "failure", null).SetName($"{{m}}({provider}, voicemail)");
            yield return new TestCaseData(OutcomeApp.Busy, sip, CallOutcomeKind.Busy, null, "busy").SetName($"{{m}}({provider}, busy)");
            yield return new TestCaseData(OutcomeApp.NoAnswer, sip, CallOutcomeKind.NoAnswer, null, "no-answer").SetName($"{{m}}({provider}, no answer)");
            yield return new TestCaseData(OutcomeApp.Failed, sip, CallOutcomeKind.Failed, null, "unknown").SetName($"{{m}}({provider}, failed)");
        }
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task BothSources_GiveTheSameOutcome(string toNumber, bool sip, CallOutcomeKind kind, string? callSuccessful, string? failureReason)
    {
        await using var app = await OutcomeApp.StartAsync();
        var (conversationId, callId) = await app.CallAsync(toNumber, sip);

        var fromEvents = app.WithWebhooks.Calls.WaitForOutcomeAsync(conversationId, EventsOnly);
        var fromPolls = app.PollingOnly.Calls.WaitForOutcomeAsync(conversationId, PollOnly);
        var polled = await app.DriveAsync(fromPolls, TimeSpan.FromSeconds(5));
        var evented = await fromEvents.WaitAsync(TimeSpan.FromSeconds(30));

        var connected = kind is CallOutcomeKind.Completed or CallOutcomeKind.Voicemail;
        Assert.Multiple(() =>
        {
            Assert.That(evented with { Conversation = null }, Is.EqualTo(polled with { Conversation = null }));
            Assert.That(evented.Kind, Is.EqualTo(kind));
            Assert.That(evented.ConversationId, Is.EqualTo(conversationId));
            Assert.That(evented.CallId, Is.EqualTo(callId));
            Assert.That(evented.Status, Is.EqualTo(connected ? ConversationStatus.Done : ConversationStatus.Failed));
            Assert.That(evented.CallSuccessful?.Value, Is.EqualTo(callSuccessful));
            Assert.That(evented.FailureReason, Is.EqualTo(failureReason));
            Assert.That(evented.Duration, Is.EqualTo(connected ? TimeSpan.FromSeconds(18) : TimeSpan.Zero));
            Assert.That(evented.Conversation is null, Is.EqualTo(!connected));
            Assert.That(polled.Conversation is null, Is.EqualTo(!connected));
            Assert.That(
                evented.Conversation?.Transcript?.Select(t => t.Message),
                Is.EqualTo(polled.Conversation?.Transcript?.Select(t => t.Message)));
        });
        Assert.That(app.Tracker.WaitingCount, Is.Zero);
    }

    [Test]
    public async Task WebhookBeforeTheWait_StillAnswers()
    {
        await using var app = await OutcomeApp.StartAsync();
        var (conversationId, _) = await app.CallAsync(OutcomeApp.Busy);

        // The call ends and its webhook is received and verified before anyone waits (as when the webhook beats the
        // outbound call's HTTP answer): the tracker holds the outcome for the wait that starts afterwards.
        app.Time.Advance(EmulatorHarness.Step * 3);
        await app.Emulator.WaitForWebhookAsync("call_initiation_failure", conversationId).WaitAsync(TimeSpan.FromSeconds(30));
        await app.Emulator.WhenWebhooksDeliveredAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(app.Emulator.WebhookDeliveries.Single().StatusCode, Is.EqualTo(200));
        Assert.That(app.Tracker.HeldCount, Is.EqualTo(1));

        var outcome = await app.WithWebhooks.Calls.WaitForOutcomeAsync(conversationId, EventsOnly);

        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Busy));
    }

    [Test]
    public async Task ManyConcurrentWaits_AllCompleteWithTheirOwnOutcome()
    {
        await using var app = await OutcomeApp.StartAsync();
        string[] numbers = [OutcomeApp.Answers, OutcomeApp.Busy, OutcomeApp.NoAnswer, OutcomeApp.Failed, OutcomeApp.Voicemail];
        CallOutcomeKind[] kinds = [CallOutcomeKind.Completed, CallOutcomeKind.Busy, CallOutcomeKind.NoAnswer, CallOutcomeKind.Failed, CallOutcomeKind.Voicemail];
        var calls = new List<(string ConversationId, CallOutcomeKind Kind)>();
        for (var i = 0; i < 200; i++)
        {
            calls.Add(((await app.CallAsync(numbers[i % numbers.Length])).ConversationId, kinds[i % kinds.Length]));
        }

        // Webhooks and polls together (the default), as an app with the add-on runs it.
        var waits = calls.Select(c => app.WithWebhooks.Calls.WaitForOutcomeAsync(c.ConversationId, PollOnly)).ToArray();
        var outcomes = await app.DriveAsync(Task.WhenAll(waits), TimeSpan.FromSeconds(5));

        Assert.That(outcomes.Select(o => (o.ConversationId, o.Kind)), Is.EqualTo(calls));
        Assert.That(app.Tracker.WaitingCount, Is.Zero);
    }
}
