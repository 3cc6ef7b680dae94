using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

public class ConvAiEmulatorTests
{
    private static readonly object[] Endpoints =
    [
        new object[] { "GET", "/v1/convai/phone-numbers" },
        new object[] { "POST", "/v1/convai/phone-numbers" },
        new object[] { "POST", "/v1/convai/twilio/outbound-call" },
        new object[] { "POST", "/v1/convai/sip-trunk/outbound-call" },
        new object[] { "POST", "/v1/convai/twilio/register-call" },
        new object[] { "GET", "/v1/convai/conversations" },
        new object[] { "GET", "/v1/convai/conversations/conv_x/audio" },
        new object[] { "POST", "/v1/convai/batch-calling/submit" },
        new object[] { "DELETE", "/v1/convai/batch-calling/btcal_x" },
    ];

    [TestCaseSource(nameof(Endpoints))]
    public async Task Request_WithoutApiKey_Returns401NeedsAuthorization(string method, string path)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Http.DefaultRequestHeaders.Remove("xi-api-key");

        var response = await harness.SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ErrorCode(), Is.EqualTo("needs_authorization"));
        Assert.That(harness.Emulator.ReceivedRequests.Single().HasApiKey, Is.False);
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task Request_WithWrongApiKey_Returns401InvalidApiKey(string method, string path)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Http.DefaultRequestHeaders.Remove("xi-api-key");
        harness.Http.DefaultRequestHeaders.Add("xi-api-key", "wrong-key");

        var response = await harness.SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ErrorCode(), Is.EqualTo("invalid_api_key"));
        Assert.That(response.Text, Does.Not.Contain("wrong-key"));
    }

    [Test]
    public async Task Request_ConfiguredApiKey_IsAccepted()
    {
        await using var harness = await EmulatorHarness.StartAsync(o => o.ApiKey = "my-key");
        harness.Http.DefaultRequestHeaders.Remove("xi-api-key");
        harness.Http.DefaultRequestHeaders.Add("xi-api-key", "my-key");

        var response = await harness.GetAsync("/v1/convai/phone-numbers");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Request_UnknownPath_Returns404NotFoundDetail()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync("/v1/convai/agents");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Json["detail"]!.GetValue<string>(), Is.EqualTo("Not Found"));
    }

    [Test]
    public async Task Request_WrongMethodOnKnownPath_Returns405Detail()
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.SendAsync(HttpMethod.Put, "/v1/convai/phone-numbers", "{}");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(response.Json["detail"]!.GetValue<string>(), Is.EqualTo("Method Not Allowed"));
    }

    [Test]
    public async Task ReceivedRequests_AfterPost_RecordsMethodPathQueryAndBodyButNotTheKey()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Http.DefaultRequestHeaders.UserAgent.ParseAdd("tests/1.0");

        await harness.PostAsync("/v1/convai/phone-numbers?x=1", """{"label":"L"}""");

        var request = harness.Emulator.ReceivedRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.Path, Is.EqualTo("/v1/convai/phone-numbers"));
            Assert.That(request.QueryString, Is.EqualTo("?x=1"));
            Assert.That(request.ContentType, Does.StartWith("application/json"));
            Assert.That(request.Body, Is.EqualTo("""{"label":"L"}"""));
            Assert.That(request.HasApiKey, Is.True);
            Assert.That(request.UserAgent, Is.EqualTo("tests/1.0"));
            Assert.That(request.ToString(), Does.Not.Contain(harness.Emulator.ApiKey));
        });
    }

    [Test]
    public async Task CreateHandler_ClientWithProductionBaseAddress_IsServedByTheEmulator()
    {
        await using var emulator = new ConvAiEmulator();
        using var http = new HttpClient(emulator.CreateHandler()) { BaseAddress = new Uri("https://api.elevenlabs.io") };
        http.DefaultRequestHeaders.Add("xi-api-key", emulator.ApiKey);

        using var response = await http.GetAsync(new Uri("/v1/convai/phone-numbers?provider=twilio", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("[]"));
        Assert.That(emulator.ReceivedRequests.Single().QueryString, Is.EqualTo("?provider=twilio"));
    }

    [Test]
    public void BaseAddress_BeforeStart_ThrowsInvalidOperationException()
    {
        var emulator = new ConvAiEmulator();

        Assert.That(() => emulator.BaseAddress, Throws.InvalidOperationException);
    }

    [Test]
    public async Task StartAsync_CalledTwice_ServesOnOneAddress()
    {
        await using var emulator = new ConvAiEmulator();
        await emulator.StartAsync();
        var first = emulator.BaseAddress;

        await emulator.StartAsync();

        Assert.That(emulator.BaseAddress, Is.EqualTo(first));
        Assert.That(first.Host, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task StartAsync_FirstCallerCancels_StartStillCompletesForOthers()
    {
        await using var emulator = new ConvAiEmulator();

        try
        {
            await emulator.StartAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // Only this caller stopped waiting.
        }

        await emulator.StartAsync();

        Assert.That(emulator.BaseAddress.IsLoopback, Is.True);
    }

    [TestCase("", "secret", TestName = "Constructor_EmptyApiKey_ThrowsArgumentException")]
    [TestCase("key", "", TestName = "Constructor_EmptyWebhookSecret_ThrowsArgumentException")]
    public void Constructor_InvalidOptions_ThrowsArgumentException(string apiKey, string secret)
    {
        var options = new ConvAiEmulatorOptions { ApiKey = apiKey, WebhookSecret = secret };

        Assert.That(() => new ConvAiEmulator(options), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public async Task DisposeAsync_AfterStart_StopsServing()
    {
        var emulator = await ConvAiEmulator.StartNewAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };

        await emulator.DisposeAsync();

        Assert.That(async () => await http.GetAsync(new Uri("/v1/convai/phone-numbers", UriKind.Relative)), Throws.InstanceOf<HttpRequestException>());
        Assert.That(() => emulator.StartAsync(), Throws.InstanceOf<ObjectDisposedException>());
    }
}
