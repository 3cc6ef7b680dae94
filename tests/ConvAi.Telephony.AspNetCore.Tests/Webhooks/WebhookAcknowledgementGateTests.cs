using System.Net;
using System.Text;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>Queued mode answers first: the inbox processor holds off while deliveries are being acknowledged.</summary>
public class WebhookAcknowledgementGateTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How soon after the quiet period (or the deferral) ends a worker counts as released by it: a few half-millisecond
    /// steps of slack for a timer the gate starts after a step, far below the 250 ms deferral.
    /// </summary>
    private static readonly TimeSpan Soon = WebhookAcknowledgementGate.QuietPeriod * 5;

    public enum Release
    {
        LastAcknowledgementEnds,
        DeferralRunsOut,
        DeferralRunsOutBetweenAcknowledgements,
        Backlogged,
    }

    [Test]
    public void WaitForTurn_NothingAcknowledgedYet_CompletesAtOnce()
    {
        var gate = new WebhookAcknowledgementGate(new FakeTimeProvider());

        Assert.That(gate.WaitForTurnAsync(backlogged: false, CancellationToken.None).IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task WaitForTurn_AcknowledgementJustEnded_WaitsOutTheQuietPeriod()
    {
        var time = new FakeTimeProvider();
        var gate = new WebhookAcknowledgementGate(time);
        gate.Enter().Dispose();

        var turn = gate.WaitForTurnAsync(backlogged: false, CancellationToken.None).AsTask();
        time.Advance(WebhookAcknowledgementGate.QuietPeriod - TimeSpan.FromTicks(1));
        await Task.Delay(50); // gives a gate that ignored the quiet period time to complete; absence cannot pass by accident
        Assert.That(turn.IsCompleted, Is.False, "Between two requests of a burst nothing is in flight for a moment: that is not the end of the burst.");

        var advanced = await AdvanceUntilCompletedAsync(time, turn);
        Assert.That(advanced, Is.LessThanOrEqualTo(Soon), "Released by the quiet period, not by the deferral running out.");
    }

    [Test]
    public async Task WaitForTurn_AcknowledgementWithinTheQuietPeriod_StartsItAgain()
    {
        var time = new FakeTimeProvider();
        var gate = new WebhookAcknowledgementGate(time);
        var half = WebhookAcknowledgementGate.QuietPeriod / 2;
        gate.Enter().Dispose();

        var turn = gate.WaitForTurnAsync(backlogged: false, CancellationToken.None).AsTask();
        time.Advance(half);
        gate.Enter().Dispose();
        time.Advance(half + (half / 2)); // the first quiet period is over, the second is not
        await Task.Delay(50);
        Assert.That(turn.IsCompleted, Is.False, "An acknowledgement that came and went restarts the quiet period.");

        Assert.That(await AdvanceUntilCompletedAsync(time, turn), Is.LessThanOrEqualTo(Soon), "Released by the second quiet period.");
    }

    [TestCase(Release.LastAcknowledgementEnds)]
    [TestCase(Release.DeferralRunsOut)]
    [TestCase(Release.DeferralRunsOutBetweenAcknowledgements)]
    [TestCase(Release.Backlogged)]
    public async Task WaitForTurn_WhileAcknowledging_WaitsUntilReleased(Release release)
    {
        var time = new FakeTimeProvider();
        var gate = new WebhookAcknowledgementGate(time);
        var first = gate.Enter();
        var second = gate.Enter();
        if (release == Release.Backlogged)
        {
            Assert.That(gate.WaitForTurnAsync(backlogged: true, CancellationToken.None).IsCompletedSuccessfully, Is.True);
            first.Dispose();
            second.Dispose();
            return;
        }

        var turn = gate.WaitForTurnAsync(backlogged: false, CancellationToken.None).AsTask();
        first.Dispose();
        if (release == Release.DeferralRunsOutBetweenAcknowledgements)
        {
            // Requests keep coming, never more than half a quiet period apart, none in flight between them.
            second.Dispose();
            var step = WebhookAcknowledgementGate.QuietPeriod / 2;
            for (var elapsed = TimeSpan.Zero; elapsed < WebhookAcknowledgementGate.MaxDeferral - step; elapsed += step)
            {
                time.Advance(step);
                gate.Enter().Dispose();
            }
        }
        else
        {
            // Long enough that a worker released at zero in flight, or after a quiet period, would be gone.
            time.Advance(release == Release.LastAcknowledgementEnds
                ? TimeSpan.FromMilliseconds(10)
                : WebhookAcknowledgementGate.MaxDeferral - TimeSpan.FromMilliseconds(1));
        }

        await Task.Delay(50);
        Assert.That(turn.IsCompleted, Is.False, "Acknowledgements are still in flight or just ended, and the deferral has not run out.");

        if (release == Release.LastAcknowledgementEnds)
        {
            second.Dispose();
            Assert.That(await AdvanceUntilCompletedAsync(time, turn), Is.LessThanOrEqualTo(Soon), "Released a quiet period after the last acknowledgement ended.");
        }
        else if (release == Release.DeferralRunsOut)
        {
            Assert.That(await AdvanceUntilCompletedAsync(time, turn), Is.LessThanOrEqualTo(Soon), "Released when the deferral ran out.");
            second.Dispose();
        }
        else
        {
            // The requests never stop: only the deferral running out can release the worker.
            await AdvanceUntilCompletedAsync(time, turn, WebhookAcknowledgementGate.QuietPeriod / 2, () => gate.Enter().Dispose());
        }

        Assert.That(gate.Acknowledging, Is.Zero);
    }

    /// <summary>
    /// Advances the fake clock in small steps (half a millisecond unless <paramref name="step"/> says otherwise), running
    /// <paramref name="afterEachStep"/> after each, until <paramref name="turn"/> completes (a step may land before the
    /// gate starts its timer), polling as <see cref="WebhookTestHost.EventuallyAsync"/> does; returns how far the clock moved.
    /// </summary>
    private static async Task<TimeSpan> AdvanceUntilCompletedAsync(FakeTimeProvider time, Task turn, TimeSpan? step = null, Action? afterEachStep = null)
    {
        var by = step ?? TimeSpan.FromMilliseconds(0.5);
        var advanced = TimeSpan.Zero;
        await WebhookTestHost.EventuallyAsync(() =>
        {
            if (turn.IsCompleted)
            {
                return true;
            }

            time.Advance(by);
            advanced += by;
            afterEachStep?.Invoke();
            return false;
        });

        await turn.WaitAsync(TimeSpan.Zero);
        return advanced;
    }

    [Test]
    public void WaitForTurn_Cancelled_Throws()
    {
        var gate = new WebhookAcknowledgementGate(new FakeTimeProvider());
        using var acknowledging = gate.Enter();
        using var cancellation = new CancellationTokenSource();

        var turn = gate.WaitForTurnAsync(backlogged: false, cancellation.Token).AsTask();
        cancellation.Cancel();

        Assert.That(async () => await turn.WaitAsync(Bound), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Queued_DeliveryAcknowledgedWhileAnotherIsBeingReceived_ProcessedOnceThatOneIsAnswered()
    {
        // The gate on the host's fake clock, which moves only when the test moves it: the deferral cannot run out while
        // the test looks (the container's own gate runs on the system clock, so 250 ms would release the worker).
        await using var host = await WebhookTestHost.StartAsync(
            WebhookSurface.Endpoint,
            options => options.Delivery.Mode = ConvAiWebhookMode.Queued,
            services: services => services.Replace(ServiceDescriptor.Singleton(sp => new WebhookAcknowledgementGate(sp.GetRequiredService<TimeProvider>()))));
        var gate = host.Services.GetRequiredService<WebhookAcknowledgementGate>();
        var held = WebhookFixtures.Load("post_call_transcription.json");
        var quick = WebhookFixtures.Utf8(Encoding.UTF8.GetString(held).Replace("\"conversation_id\":\"abc\"", "\"conversation_id\":\"quick\"", StringComparison.Ordinal));
        Assume.That(quick, Is.Not.EqualTo(held));

        // The held request sends half its body and waits: it is being acknowledged until the rest arrives.
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Path) { Content = new HeldContent(held, rest.Task) };
        request.Headers.TryAddWithoutValidation(ConvAiWebhookSignature.HeaderName, WebhookFixtures.Sign(held));
        var heldResponse = host.Client.SendAsync(request);
        await WebhookTestHost.EventuallyAsync(() => gate.Acknowledging == 1);
        Assert.That(gate.Acknowledging, Is.EqualTo(1), "The held request did not reach the receiver.");

        var quickStatus = await host.PostAsync(quick, WebhookFixtures.Sign(quick));
        await Task.Delay(200); // gives a processor that ignored the gate time to dispatch; absence cannot pass by accident
        Assert.Multiple(() =>
        {
            Assert.That(quickStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events, Is.Empty, "Processing waits while a delivery is being acknowledged.");
        });

        rest.SetResult();
        using var answered = await heldResponse.WaitAsync(Bound);
        // Both are processed once the quiet period after the last answer has passed on the fake clock.
        await WebhookTestHost.EventuallyAsync(() =>
        {
            host.Time.Advance(TimeSpan.FromMilliseconds(1));
            return host.Recorder.Events.Count >= 2;
        });

        Assert.Multiple(() =>
        {
            Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Events.Select(e => e.ConversationId), Is.EquivalentTo(new[] { "abc", "quick" }));
            Assert.That(gate.Acknowledging, Is.Zero);
        });
    }

    /// <summary>A JSON body sent in two halves, the second once <paramref name="rest"/> completes.</summary>
    private sealed class HeldContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly Task _rest;

        public HeldContent(byte[] body, Task rest)
        {
            _body = body;
            _rest = rest;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, _body.Length / 2));
            await stream.FlushAsync();
            await _rest.WaitAsync(Bound);
            await stream.WriteAsync(_body.AsMemory(_body.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
