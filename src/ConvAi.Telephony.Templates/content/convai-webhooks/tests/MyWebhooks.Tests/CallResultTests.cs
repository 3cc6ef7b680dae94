using System.Net;
using System.Net.Http.Json;
using ConvAi.Telephony;
using ConvAi.Telephony.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace MyWebhooks.Tests;

/// <summary>
/// The app against the ConvAi.Telephony emulator: a call placed through the emulator ends, the emulator signs and
/// delivers its post-call webhook to the app, and the app stores the result.
/// </summary>
public class CallResultTests
{
    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("convai-webhooks-tests-");

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    [Test]
    public async Task PlacedCall_WebhookDelivered_ResultIsStored()
    {
        await using var app = CreateApp("whsec_test_secret");
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            WebhookUrl = new Uri("http://localhost/webhooks/elevenlabs"),
            WebhookSecret = "whsec_test_secret",
            WebhookHandler = app.Server.CreateHandler(), // the emulator delivers into the in-memory app
            StepDelay = TimeSpan.FromMilliseconds(50),
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "Support", Sid = "AC00000000000000000000000000000000", Token = "token",
        });

        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_test", AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+14155550123",
        });
        var conversationId = call.ConversationId ?? throw new AssertionException("The call has no conversation id.");
        var delivery = await emulator.WaitForWebhookAsync("post_call_transcription", conversationId).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(delivery.StatusCode, Is.EqualTo(200));
        var result = await WaitForResultAsync(app.CreateClient(), conversationId);
        Assert.That(result.Status, Is.EqualTo("done"));
        Assert.That(result.TranscriptTurns, Is.GreaterThan(0));
        Assert.That(result.Reconciled, Is.False);
    }

    [Test]
    public async Task Webhook_SignedWithAnotherSecret_IsRejectedAndNothingIsStored()
    {
        await using var app = CreateApp("whsec_test_secret");
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions
        {
            WebhookUrl = new Uri("http://localhost/webhooks/elevenlabs"),
            WebhookSecret = "whsec_another_secret",
            WebhookHandler = app.Server.CreateHandler(),
            StepDelay = TimeSpan.FromMilliseconds(50),
        });
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+14155550100", Label = "Support", Sid = "AC00000000000000000000000000000000", Token = "token",
        });

        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_test", AgentPhoneNumberId = number.PhoneNumberId, ToNumber = "+14155550123",
        });
        var delivery = await emulator.WaitForWebhookAsync("post_call_transcription", call.ConversationId).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(delivery.StatusCode, Is.EqualTo(401));
        using var response = await app.CreateClient().GetAsync(new Uri($"/calls/{call.ConversationId}", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private WebApplicationFactory<Program> CreateApp(string secret) => new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
    {
        host.UseSetting("ConvAi:Webhooks:Secret", secret);
        host.UseSetting("ConnectionStrings:Webhooks", $"Data Source={Path.Combine(_folder.FullName, "webhooks.db")}");
        // No key from the machine running the tests may switch reconciliation on against the real API.
        host.UseSetting("ConvAi:ApiKey", "");
        host.UseSetting("ELEVENLABS_API_KEY", "");
    });

    /// <summary>Queued mode answers before the handler runs: ask until the result is there (or 30 seconds pass).</summary>
    private static async Task<CallResult> WaitForResultAsync(HttpClient http, string conversationId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await http.GetAsync(new Uri($"/calls/{conversationId}", UriKind.Relative), timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return (await response.Content.ReadFromJsonAsync<CallResult>(timeout.Token))!;
            }

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}
