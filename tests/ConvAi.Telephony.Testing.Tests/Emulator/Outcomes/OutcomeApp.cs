using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// One emulator on a fake clock and two apps that call it: <see cref="WithWebhooks"/> also receives its signed post-call
/// webhooks with the add-on (so waits complete from events), <see cref="PollingOnly"/> has no add-on (waits poll).
/// Both place and await calls through the real DI container.
/// </summary>
internal sealed class OutcomeApp : IAsyncDisposable
{
    public const string Secret = "wsec_outcomes";
    public const string Busy = "+447700900201";
    public const string NoAnswer = "+447700900202";
    public const string Failed = "+447700900203";
    public const string Voicemail = "+447700900204";
    public const string Unsuccessful = "+447700900205";
    public const string Answers = "+447700900206";

    private readonly WebApplication _app;
    private readonly ServiceProvider _pollingServices;
    private readonly WebhookForwarder _forwarder;

    private OutcomeApp(FakeTimeProvider time, ConvAiEmulator emulator, WebApplication app, ServiceProvider pollingServices, WebhookForwarder forwarder)
    {
        Time = time;
        Emulator = emulator;
        _app = app;
        _pollingServices = pollingServices;
        _forwarder = forwarder;
    }

    public FakeTimeProvider Time { get; }

    public ConvAiEmulator Emulator { get; }

    public IConvAiTelephonyClient WithWebhooks => _app.Services.GetRequiredService<IConvAiTelephonyClient>();

    public IConvAiTelephonyClient PollingOnly => _pollingServices.GetRequiredService<IConvAiTelephonyClient>();

    public CallOutcomeTracker Tracker => _app.Services.GetRequiredService<CallOutcomeTracker>();

    public string TwilioNumberId { get; private set; } = string.Empty;

    public string SipNumberId { get; private set; } = string.Empty;

    public static async Task<OutcomeApp> StartAsync()
    {
        var time = new FakeTimeProvider(EmulatorHarness.Start);
        var forwarder = new WebhookForwarder();
        var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            TimeProvider = time,
            StepDelay = EmulatorHarness.Step,
            WebhookUrl = new Uri("http://localhost/webhooks/elevenlabs"),
            WebhookHandler = forwarder,
            WebhookSecret = Secret,
            BusyNumbers = { Busy },
            NoAnswerNumbers = { NoAnswer },
            FailedNumbers = { Failed },
            VoicemailNumbers = { Voicemail },
            UnsuccessfulNumbers = { Unsuccessful },
        });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddConvAiTelephony(o => o.BaseAddress = emulator.BaseAddress).UseConvAiEmulator(emulator);
        builder.Services.AddConvAiWebhooks(o => o.Secret = Secret).AddHandler<IgnoringHandler>();
        var app = builder.Build();
        app.MapConvAiWebhooks("/webhooks/elevenlabs");
        await app.StartAsync();
        forwarder.InnerHandler = app.GetTestServer().CreateHandler();

        var polling = new ServiceCollection();
        polling.AddSingleton<TimeProvider>(time);
        polling.AddConvAiTelephony(o => o.BaseAddress = emulator.BaseAddress).UseConvAiEmulator(emulator);
        var outcomeApp = new OutcomeApp(time, emulator, app, polling.BuildServiceProvider(), forwarder);

        var numbers = outcomeApp.WithWebhooks.PhoneNumbers;
        outcomeApp.TwilioNumberId = (await numbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100",
            Label = "Outcomes",
            Sid = "AC0123456789abcdef0123456789abcdef",
            Token = "twilio-token",
        })).PhoneNumberId;
        outcomeApp.SipNumberId = (await numbers.ImportSipTrunkAsync(new ImportSipTrunkPhoneNumberRequest
        {
            PhoneNumber = "+14155550101",
            Label = "Outcomes SIP",
            OutboundTrunkConfig = new OutboundSipTrunkConfig { Address = "sip.example.com" },
        })).PhoneNumberId;
        return outcomeApp;
    }

    /// <summary>Places a call to <paramref name="toNumber"/> from the Twilio or SIP number and returns the wait target.</summary>
    public async Task<(string ConversationId, string? CallId)> CallAsync(string toNumber, bool sip = false)
    {
        var calls = WithWebhooks.Calls;
        if (sip)
        {
            var result = await calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest { AgentId = "agent_1", AgentPhoneNumberId = SipNumberId, ToNumber = toNumber });
            return (result.ConversationId!, result.SipCallId);
        }

        var twilio = await calls.StartTwilioCallAsync(new StartTwilioCallRequest { AgentId = "agent_1", AgentPhoneNumberId = TwilioNumberId, ToNumber = toNumber });
        return (twilio.ConversationId!, twilio.CallSid);
    }

    /// <summary>Moves the clock on in steps until <paramref name="task"/> completes (the emulator's calls and the waits' polls both run on it).</summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan step, int maxSteps = 2_000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            Time.Advance(step);
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(5)));
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _pollingServices.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
        _forwarder.Dispose();
    }

    /// <summary>The app's own handler; it has nothing to do here, the outcomes reach the waits through the tracker.</summary>
    private sealed class IgnoringHandler : ConvAiWebhookHandler;

    /// <summary>Hands the emulator's webhook requests to the app's test server once it has started.</summary>
    private sealed class WebhookForwarder : DelegatingHandler;
}
