using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Tests.Commands;

/// <summary><c>convai emulator</c> as a standalone server: serving, seeding, delivering webhooks, stopping.</summary>
public partial class EmulatorCommandTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("convai-emulator").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Emulator_FixedPort_PrintsAddressAndKeyServesTheApiAndStopsWithExitZero()
    {
        var port = FreePort();
        await using var run = Cli.Start("emulator", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--api-key", "key-for-clients");
        await run.WaitForOutputAsync("Press Ctrl+C to stop.");

        Assert.That(run.Output, Does.Contain($"ConvAi emulator listening on http://127.0.0.1:{port}/"));
        Assert.That(run.Output, Does.Contain("API key: key-for-clients"));
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = "key-for-clients", BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
        Assert.That(await client.PhoneNumbers.ListAsync(), Is.Empty);
        var wrongKey = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = "other", BaseAddress = new Uri($"http://127.0.0.1:{port}/") });
        Assert.That(async () => await wrongKey.PhoneNumbers.ListAsync(), Throws.InstanceOf<ConvAiApiException>().With.Property(nameof(ConvAiApiException.StatusCode)).EqualTo(HttpStatusCode.Unauthorized));

        Assert.That(await run.StopAsync(), Is.EqualTo(0));
        Assert.That(run.Output, Does.EndWith("Emulator stopped." + Environment.NewLine));
        using var probe = new TcpClient();
        Assert.That(async () => await probe.ConnectAsync(IPAddress.Loopback, port), Throws.InstanceOf<SocketException>(), "the port is free again");
    }

    [Test]
    public async Task Emulator_SeedAndWebhookUrl_SeedsPlacesCallsAndDeliversSignedWebhooksTheSampleAccepts()
    {
        await using var receiver = WebhookReceiverHost.Start();
        var seed = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seed, """
            {
              // numbers to import; calls go out from them
              "phone_numbers": [
                { "phone_number": "+14155550100", "label": "Support", "provider": "twilio", "agent_id": "agent_support" },
                { "phone_number": "+14155550101", "provider": "sip_trunk" },
              ],
              "busy_numbers": ["+14155550199"],
              "conversations": [
                { "from": "+14155550100", "to": "+14155550123", "user_id": "cust-1", "dynamic_variables": { "customer_name": "Ana", "visits": 3 } },
                { "from": "+14155550101", "to": "+14155550199", "agent_id": "agent_sip" }
              ]
            }
            """);

        await using var run = Cli.Start("emulator", "--seed", seed, "--webhook-url", receiver.WebhookUrl.ToString(), "--webhook-secret", WebhookReceiverHost.WebhookSecret, "--step-delay-ms", "20");
        await run.WaitForOutputAsync("webhook call_initiation_failure");
        await run.WaitForOutputAsync("webhook post_call_transcription");

        Assert.That(run.Output, Does.Contain("Seeded from seed.json: 2 phone number(s), 2 call(s)"));
        Assert.That(run.Output, Does.Match(@"phone number \+14155550100  phnum_\w+"));
        Assert.That(run.Output, Does.Contain("Webhooks: POST " + receiver.WebhookUrl + " signed with the --webhook-secret given"));
        var ids = ConversationLine().Matches(run.Output).Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Has.Count.EqualTo(2));
        Assert.That(run.Output, Does.Contain($"webhook post_call_transcription {ids[0]} -> HTTP 200"));
        Assert.That(run.Output, Does.Contain($"webhook call_initiation_failure {ids[1]} -> HTTP 200"));
        var answered = await receiver.WaitForStoredAsync(ids[0], "status");
        Assert.That(answered?["status"]?.ToString(), Is.EqualTo("done"));
        Assert.That(answered?["transcript"]?[0]?["message"]?.ToString(), Is.EqualTo("Hello Ana! This is your assistant calling."));
        var busy = await receiver.WaitForStoredAsync(ids[1], "failure_reason");
        Assert.That(busy?["failure_reason"]?.ToString(), Is.EqualTo("busy"));
        Assert.That(await run.StopAsync(), Is.EqualTo(0));
    }

    [TestCase("{", "is not valid")]
    [TestCase("""{"phone_numbers":[{"phone_number":"+1","provider":"exotel"}]}""", "provider must be twilio or sip_trunk")]
    [TestCase("""{"conversations":[{"from":"+14155550100","to":"+1"}]}""", "'from' must be one of the seed's phone_numbers")]
    [TestCase("""{"numbers":[]}""", "is not valid")]
    public async Task Emulator_BadSeed_IsAUsageError(string content, string expected)
    {
        var seed = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seed, content);

        var result = await Cli.RunAsync("emulator", "--seed", seed);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Error, Does.Contain(expected));
    }

    [Test]
    public async Task EmulatedWebhookPayload_IsWhatTheEmulatorSends()
    {
        // The trigger command sends EmulatedWebhookPayload's bodies; they must have the shape of a real emulator delivery.
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions());
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        var number = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "x", Sid = "AC00000000000000000000000000000000", Token = "t" });
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_1",
            AgentPhoneNumberId = number.PhoneNumberId,
            ToNumber = "+14155550123",
            ConversationInitiationClientData = new ConversationInitiationClientData { DynamicVariables = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["customer_name"] = "Ana" } },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sent = await emulator.WaitForWebhookAsync(EmulatedWebhookPayload.PostCallTranscription, call.ConversationId, timeout.Token);

        var built = System.Text.Json.Nodes.JsonNode.Parse(EmulatedWebhookPayload.Create(EmulatedWebhookPayload.PostCallTranscription, "conv_x", DateTimeOffset.UtcNow))!;

        Assert.That(Paths(built), Is.EqualTo(Paths(System.Text.Json.Nodes.JsonNode.Parse(sent.Body)!)));
        Assert.That(built["data"]!["transcript"]![0]!["message"]!.ToString(), Is.EqualTo("Hello Ana! This is your assistant calling."));
    }

    private static List<string> Paths(System.Text.Json.Nodes.JsonNode node, string prefix = "")
    {
        var paths = new List<string>();
        if (node is System.Text.Json.Nodes.JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                paths.Add(prefix + name);
                if (child is not null)
                {
                    paths.AddRange(Paths(child, prefix + name + "."));
                }
            }
        }
        else if (node is System.Text.Json.Nodes.JsonArray { Count: > 0 } array && array[0] is { } first)
        {
            paths.AddRange(Paths(first, prefix + "[]."));
        }

        return paths;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^  conversation (conv_\w+)", RegexOptions.Multiline)]
    private static partial Regex ConversationLine();
}
