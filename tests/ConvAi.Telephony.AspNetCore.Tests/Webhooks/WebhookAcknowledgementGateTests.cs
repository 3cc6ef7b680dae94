using System.Net;
using System.Text;
using ConvAi.Telephony.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>Queued mode answers first: the inbox processor holds off while deliveries are being acknowledged.</summary>
public class WebhookAcknowledgementGateTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public enum Release
    {
        LastAcknowledgementEnds,
        DeferralRunsOut,
        Backlogged,
    }

    [Test]
    public void WaitForTurn_NothingBeingAcknowledged_CompletesAtOnce()
    {
        var gate = new WebhookAcknowledgementGate(new FakeTimeProvider());
        using (gate.Enter())
        {
        }

        Assert.That(gate.WaitForTurnAsync(backlogged: false, CancellationToken.None).IsCompletedSuccessfully, Is.True);
    }

    [TestCase(Release.LastAcknowledgementEnds)]
    [TestCase(Release.DeferralRunsOut)]
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
        time.Advance(WebhookAcknowledgementGate.MaxDeferral - TimeSpan.FromMilliseconds(1));
        Assert.That(turn.IsCompleted, Is.False, "One acknowledgement is still in flight and the deferral has not run out.");

        if (release == Release.LastAcknowledgementEnds)
        {
            second.Dispose();
        }
        else
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await turn.WaitAsync(Bound);
        Assert.That(gate.Acknowledging, Is.EqualTo(release == Release.LastAcknowledgementEnds ? 0 : 1));
        second.Dispose();
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
        await using var host = await WebhookTestHost.StartAsync(WebhookSurface.Endpoint, options => options.Mode = ConvAiWebhookMode.Queued);
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
        await host.WaitForEventsAsync(2);

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
