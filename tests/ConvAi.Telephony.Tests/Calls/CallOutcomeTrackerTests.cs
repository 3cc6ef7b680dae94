using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Calls;

/// <summary>The seam between post-call events and waits: early events are held, bounded by count and age.</summary>
public class CallOutcomeTrackerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void EventBeforeWait_CompletesTheWaitAtOnce()
    {
        var tracker = new CallOutcomeTracker(_time);
        tracker.OnCallInitiationFailure("conv_1", "busy", "CA1");

        using var watch = tracker.Start("conv_1");

        Assert.That(watch.Task.IsCompletedSuccessfully, Is.True);
        Assert.That(watch.Task.Result.Kind, Is.EqualTo(CallOutcomeKind.Busy));
        Assert.That(tracker.WaitingCount, Is.Zero);
    }

    [Test]
    public async Task EventAfterWait_CompletesEveryWaitOnThatConversationOnly()
    {
        var tracker = new CallOutcomeTracker(_time);
        using var first = tracker.Start("conv_1");
        using var second = tracker.Start("conv_1");
        using var other = tracker.Start("conv_2");
        Assert.That(tracker.WaitingCount, Is.EqualTo(2));

        tracker.OnPostCallTranscription(ConversationFixtures.Parse(ConversationFixtures.Json("done")));

        Assert.That((await first.Task).Kind, Is.EqualTo(CallOutcomeKind.Completed));
        Assert.That((await second.Task).ConversationId, Is.EqualTo("conv_1"));
        Assert.That(other.Task.IsCompleted, Is.False);
        Assert.That(tracker.WaitingCount, Is.EqualTo(1));
    }

    [Test]
    public void DisposedWaits_AreForgotten()
    {
        var tracker = new CallOutcomeTracker(_time);
        var first = tracker.Start("conv_1");
        var second = tracker.Start("conv_1");

        first.Dispose();
        first.Dispose();
        Assert.That(tracker.WaitingCount, Is.EqualTo(1));
        second.Dispose();

        Assert.That(tracker.WaitingCount, Is.Zero);
    }

    [Test]
    public void HeldOutcome_ExpiresAfterTheRetention()
    {
        var tracker = new CallOutcomeTracker(_time, retention: TimeSpan.FromMinutes(10));
        tracker.OnCallInitiationFailure("conv_1", "no-answer", null);

        _time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.That(tracker.HeldCount, Is.EqualTo(1));
        _time.Advance(TimeSpan.FromTicks(1));
        using var watch = tracker.Start("conv_1");

        Assert.That(tracker.HeldCount, Is.Zero);
        Assert.That(watch.Task.IsCompleted, Is.False);
    }

    [Test]
    public void HeldOutcomes_AreCappedOldestFirst()
    {
        var tracker = new CallOutcomeTracker(_time, capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            tracker.OnCallInitiationFailure($"conv_{i}", "busy", null);
        }

        Assert.That(tracker.HeldCount, Is.EqualTo(3));
        using var evicted = tracker.Start("conv_2");
        using var kept = tracker.Start("conv_3");
        Assert.That(evicted.Task.IsCompleted, Is.False);
        Assert.That(kept.Task.IsCompleted, Is.True);
    }

    [Test]
    public void RepeatedEvent_KeepsTheFirstAnswer()
    {
        var tracker = new CallOutcomeTracker(_time);
        tracker.OnCallInitiationFailure("conv_1", "busy", null);
        tracker.OnCallInitiationFailure("conv_1", "unknown", null);

        using var watch = tracker.Start("conv_1");

        Assert.That(watch.Task.Result.Kind, Is.EqualTo(CallOutcomeKind.Busy));
        Assert.That(tracker.HeldCount, Is.EqualTo(1));
    }

    [Test]
    public void TranscriptionOfARunningConversation_IsIgnored()
    {
        var tracker = new CallOutcomeTracker(_time);

        tracker.OnPostCallTranscription(ConversationFixtures.Parse(ConversationFixtures.Json("in-progress")));

        Assert.That(tracker.HeldCount, Is.Zero);
    }

    [TestCase(0, 10)]
    [TestCase(1, 0)]
    public void Constructor_RejectsBoundsThatHoldNothing(int capacity, int retentionMinutes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new CallOutcomeTracker(_time, capacity, TimeSpan.FromMinutes(retentionMinutes)));

    [Test]
    public void Defaults_AreAThousandOutcomesForTenMinutes()
    {
        var tracker = new CallOutcomeTracker();

        Assert.That((tracker.Capacity, tracker.Retention), Is.EqualTo((1_000, TimeSpan.FromMinutes(10))));
    }
}
