using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>The code of docs/testing.md, compiled and run, so the page stays true. Keep the two in step.</summary>
public class TestingDocSnippets
{
    [Test]
    public async Task KestrelMode_PlaceACallAndReadTheConversation()
    {
        // docs/testing.md: "Kestrel mode"
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = emulator.ApiKey,
            BaseAddress = emulator.BaseAddress,
        });

        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100",
            Label = "Support",
            Sid = "AC00000000000000000000000000000000",
            Token = "any-token",
        });
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_support",
            AgentPhoneNumberId = number.PhoneNumberId,
            ToNumber = "+447700900123",
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana" },
            },
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var transcription = await emulator.WaitForWebhookAsync("post_call_transcription", call.ConversationId, timeout.Token);
        var conversation = await client.Conversations.GetAsync(call.ConversationId!);
        // conversation.Status == ConversationStatus.Done; conversation.Transcript[0].Message == "Hello Ana! ..."
        // end of snippet

        Assert.That(conversation.Status, Is.EqualTo(ConversationStatus.Done));
        Assert.That(conversation.Transcript![0].Message, Does.StartWith("Hello Ana!"));
        Assert.That(transcription.ConversationId, Is.EqualTo(call.ConversationId));
    }

    [Test]
    public async Task HandlerMode_DependencyInjection()
    {
        var configuration = new ConfigurationBuilder().Build();

        // docs/testing.md: "Handler mode"
        await using var emulator = new ConvAiEmulator();
        var services = new ServiceCollection();
        services.AddConvAiTelephony(configuration.GetSection("ConvAi")) // your app's usual registration
            .UseConvAiEmulator(emulator);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IConvAiTelephonyClient>();

        var numbers = await client.PhoneNumbers.ListAsync(); // served by the emulator, started on first use
        // end of snippet

        Assert.That(numbers, Is.Empty);
        Assert.That(emulator.ReceivedRequests.Single().Path, Is.EqualTo("/v1/convai/phone-numbers"));
    }

    [Test]
    public async Task FakeClock_StepsThroughStatuses()
    {
        // docs/testing.md: "Driving time"
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            TimeProvider = clock,
            StepDelay = TimeSpan.FromSeconds(5),
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "Support", Sid = "AC00000000000000000000000000000000", Token = "any-token",
        });
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_support", AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+447700900123",
        });

        var first = (await client.Conversations.GetAsync(call.ConversationId!)).Status;  // initiated
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = (await client.Conversations.GetAsync(call.ConversationId!)).Status; // in-progress
        clock.Advance(TimeSpan.FromSeconds(10));
        var last = (await client.Conversations.GetAsync(call.ConversationId!)).Status;   // done: webhooks go out now
        // end of snippet

        Assert.That(new[] { first, second, last }, Is.EqualTo(new[] { ConversationStatus.Initiated, ConversationStatus.InProgress, ConversationStatus.Done }));
    }

    [Test]
    public async Task Webhooks_DeliveredToYourReceiverAndVerified()
    {
        using var receiver = new RecordingHandler();

        // docs/testing.md: "Webhooks"
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            WebhookUrl = new Uri("http://localhost/webhooks/elevenlabs"),
            WebhookSecret = "test-secret",
            WebhookHandler = receiver,          // e.g. factory.Server.CreateHandler() for your app under test
            SendAudioWebhook = true,
            BusyNumbers = { "+447700900999" },  // calls to this number fail with call_initiation_failure "busy"
        });
        // ... place calls with the client as above, then:
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "Support", Sid = "AC00000000000000000000000000000000", Token = "any-token",
        });
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_support", AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+447700900999",
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failure = await emulator.WaitForWebhookAsync("call_initiation_failure", call.ConversationId, timeout.Token);
        var verifier = new ConvAiWebhookSignature("test-secret");
        var result = verifier.Verify(Encoding.UTF8.GetBytes(failure.Body), failure.SignatureHeader); // Valid
        // end of snippet

        Assert.That(result, Is.EqualTo(ConvAiWebhookSignatureResult.Valid));
        Assert.That(failure.StatusCode, Is.EqualTo(200));
        Assert.That(receiver.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Faults_RateLimitAndDroppedConnection()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = emulator.ApiKey,
            BaseAddress = emulator.BaseAddress,
            Resilience = new ConvAiResilienceOptions { MaxRetryAttempts = 0 },
        });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "Support", Sid = "AC00000000000000000000000000000000", Token = "any-token",
        });
        var request = new StartTwilioCallRequest { AgentId = "agent_support", AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+447700900123" };

        // docs/testing.md: "Fault injection"
        emulator.Faults.Enqueue(Fault.RateLimited("concurrent_limit_exceeded", currentConcurrentRequests: 5, maximumConcurrentRequests: 5));
        emulator.Faults.Enqueue(Fault.DropConnectionAfterRequestRead().For(HttpMethod.Post, "/v1/convai/twilio/outbound-call"));
        emulator.Faults.Enqueue(Fault.ServerError(503).For(HttpMethod.Get, "/v1/convai/conversations*").Times(2));

        var rateLimited = Assert.ThrowsAsync<ConvAiRateLimitException>(() => client.Calls.StartTwilioCallAsync(request));
        var unknown = Assert.ThrowsAsync<ConvAiOutcomeUnknownException>(() => client.Calls.StartTwilioCallAsync(request));
        // end of snippet

        Assert.That(rateLimited!.MaximumConcurrentRequests, Is.EqualTo(5));
        Assert.That(unknown!.ToNumber, Is.EqualTo("+447700900123"));
        Assert.That(emulator.Faults.Count, Is.EqualTo(1));
        Assert.That(emulator.Conversations, Is.Empty);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task TwilioSimulator_CallsABridgeAndRecordsIt()
    {
        // docs/testing.md: "Twilio simulator", against a fake bridge that marks each audio chunk and then hands off.
        await using var app = await FakeTwilioApp.StartAsync();
        app.OnStream = async s =>
        {
            var sid = (string)(await s.ReceiveEventAsync("start"))["streamSid"]!;
            await s.SendMediaAsync(sid, new byte[160]);
            await s.SendMarkAsync(sid, "agent-1");
            await s.ReceiveEventAsync("mark");
            await s.CloseAsync();
        };
        var appAddress = app.BaseAddress;
        var authToken = FakeTwilioApp.AuthToken;

        using var simulator = new TwilioSimulator(new TwilioSimulatorOptions
        {
            VoiceUrl = new Uri(appAddress, "/twilio/voice"), // your app on Kestrel, e.g. http://127.0.0.1:5000/
            AuthToken = authToken,                            // the one your app verifies with
            Pacing = false,                      // send the caller's audio as fast as possible
        });
        TwilioSimulatedCall call = await simulator.CallAsync(new TwilioCallOptions
        {
            From = "+15005550006",
            Audio = TwilioCallerAudio.SpeechBursts(2),   // or FromFile("hello.wav"), FromUlaw(bytes)
            HangUpAfterAudio = false,                    // stay on the line until the app ends the stream
        });

        Assert.That(call.EndReason, Is.EqualTo(TwilioCallEndReason.Dialed));   // the <Dial> after the stream
        Assert.That(call.CustomParameters["call_token"], Is.Not.Empty);        // the <Parameter>s, as sent in start
        Assert.That(call.ProtocolErrors, Is.Empty);                            // nothing Twilio would refuse
        Assert.That(call.MarksReceived, Is.Not.Empty);                         // a mark after each agent chunk
    }
}
