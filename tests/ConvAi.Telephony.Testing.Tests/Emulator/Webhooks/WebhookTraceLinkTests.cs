using System.Collections.Concurrent;
using System.Diagnostics;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// A placed call and the webhook that reports it are linked by the conversation id tag, not by a trace header: like
/// ElevenLabs, the emulator sends no traceparent, even when the call was placed inside a sampled trace.
/// </summary>
public class WebhookTraceLinkTests
{
    private const string Secret = "wsec_trace_link";

    [Test]
    public async Task CallInsideATrace_WebhookCarriesNoTraceHeaderAndSharesTheConversationIdTag()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var headers = new ConcurrentQueue<string[]>();
        var time = new FakeTimeProvider(EmulatorHarness.Start);
        await using var receiver = await StartReceiverAsync(time, headers);
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            TimeProvider = time,
            StepDelay = EmulatorHarness.Step,
            WebhookUrl = new Uri(receiver.Urls.Single() + "/webhooks/elevenlabs"),
            WebhookSecret = Secret,
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "trace", Sid = "AC00000000000000000000000000000000", Token = "token",
        });

        using var source = new ActivitySource("WebhookTraceLinkTests");
        TwilioCallResult call;
        ActivityTraceId callerTrace;
        using (var caller = source.StartActivity("place a call")!)
        {
            callerTrace = caller.TraceId;
            call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
            {
                AgentId = "agent_trace", AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+447700900123",
            });
        }

        time.Advance(EmulatorHarness.Step * 3);
        await emulator.WaitForWebhookAsync("post_call_transcription", call.ConversationId).WaitAsync(TimeSpan.FromSeconds(30));
        await emulator.WhenWebhooksDeliveredAsync();

        Assert.That(emulator.WebhookDeliveries.Single().StatusCode, Is.EqualTo(200));
        Assert.That(headers.Single(), Has.None.AnyOf("traceparent", "tracestate", "request-id", "baggage", "correlation-context"));
        var placed = stopped.Single(a => a.OperationName == "ConvAi.Telephony start call");
        Assert.That(placed.TraceId, Is.EqualTo(callerTrace));
        Assert.That(placed.GetTagItem(ConvAiTelephonyDiagnostics.ConversationIdTag), Is.EqualTo(call.ConversationId));
        var webhook = await WaitForAsync(stopped, a => a.OperationName == "ConvAi.Telephony webhook");
        Assert.That(webhook.GetTagItem(ConvAiTelephonyDiagnostics.ConversationIdTag), Is.EqualTo(call.ConversationId));
        Assert.That(webhook.GetTagItem(ConvAiTelephonyDiagnostics.WebhookEventTypeTag), Is.EqualTo("post_call_transcription"));
        Assert.That(webhook.TraceId, Is.Not.EqualTo(callerTrace), "the webhook's trace must not continue the caller's");
    }

    private static async Task<Activity> WaitForAsync(ConcurrentQueue<Activity> stopped, Func<Activity, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            // The handler runs after the response in some modes: poll the recorded activities until it shows up.
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private static async Task<WebApplication> StartReceiverAsync(TimeProvider time, ConcurrentQueue<string[]> headers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(time);
        builder.Services.AddConvAiWebhooks(o => o.Secret = Secret).AddHandler<IgnoringHandler>();
        var app = builder.Build();
        app.Use(next => context =>
        {
            headers.Enqueue(context.Request.Headers.Keys.Select(k => k.ToLowerInvariant()).ToArray());
            return next(context);
        });
        app.MapConvAiWebhooks("/webhooks/elevenlabs");
        await app.StartAsync();
        return app;
    }

    private sealed class IgnoringHandler : ConvAiWebhookHandler;
}
