using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvAi.Telephony;
using ConvAi.Telephony.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MyInboundCalls.Tests;

/// <summary>
/// The app in memory, with the ConvAi.Telephony emulator answering register-call: Twilio's signed "a call comes in"
/// request, a blocked caller, a forged request, and the conversation-initiation webhook.
/// </summary>
public class InboundCallTests
{
    private const string TwilioAuthToken = "test-twilio-auth-token";
    private const string InitiationSecret = "test-initiation-secret";
    private const string AgentId = "agent_front_desk";
    private const string CalledNumber = "+14155550100";

    private ConvAiEmulator _emulator = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _emulator = await ConvAiEmulator.StartNewAsync();
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConvAi:ApiKey", _emulator.ApiKey);
            host.UseSetting("ConvAi:BaseAddress", _emulator.BaseAddress.ToString());
            host.UseSetting("ConvAi:Twilio:AuthToken", TwilioAuthToken);
            host.UseSetting("ConvAi:Twilio:AgentId", AgentId);
            host.UseSetting("ConvAi:ConversationInitiation:Secret", InitiationSecret);
        });
        _http = _app.CreateClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Test]
    public async Task IncomingCall_Signed_IsRegisteredWithTheAgentAndTheCallerDetails()
    {
        using var response = await _http.SendAsync(TwilioRequest("+14155550123", signed: true));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/xml"));
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(twiml.Root!.Name.LocalName, Is.EqualTo("Response"));
        var registration = _emulator.ReceivedRequests.Single(r => r.Path == "/v1/convai/twilio/register-call");
        var body = JsonNode.Parse(registration.Body)!;
        Assert.That(body["agent_id"]!.GetValue<string>(), Is.EqualTo(AgentId));
        Assert.That(body["from_number"]!.GetValue<string>(), Is.EqualTo("+14155550123"));
        Assert.That(body["to_number"]!.GetValue<string>(), Is.EqualTo(CalledNumber));
        var variables = body["conversation_initiation_client_data"]!["dynamic_variables"]!;
        Assert.That(variables["customer_name"]!.GetValue<string>(), Is.EqualTo("Ana"));
        Assert.That(variables["caller_number"]!.GetValue<string>(), Is.EqualTo("+14155550123"));
    }

    [Test]
    public async Task IncomingCall_FromABlockedCaller_IsRejectedAndNotRegistered()
    {
        using var response = await _http.SendAsync(TwilioRequest("anonymous", signed: true));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(twiml.Root!.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "Reject" }));
        Assert.That(_emulator.ReceivedRequests.Where(r => r.Path == "/v1/convai/twilio/register-call"), Is.Empty);
    }

    [Test]
    public async Task IncomingCall_Unsigned_IsForbiddenAndNotRegistered()
    {
        using var response = await _http.SendAsync(TwilioRequest("+14155550123", signed: false));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(_emulator.ReceivedRequests.Where(r => r.Path == "/v1/convai/twilio/register-call"), Is.Empty);
    }

    [TestCase("+14155550123", "Ana", true)]
    [TestCase("+447700900456", "there", false)]
    public async Task ConversationInitiation_WithTheSecret_AnswersTheCallersDetails(string caller, string name, bool greeted)
    {
        using var response = await _http.SendAsync(InitiationRequest(caller, InitiationSecret));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(body["type"]!.GetValue<string>(), Is.EqualTo("conversation_initiation_client_data"));
        Assert.That(body["dynamic_variables"]!["customer_name"]!.GetValue<string>(), Is.EqualTo(name));
        Assert.That(body["conversation_config_override"]?["agent"]?["first_message"]?.GetValue<string>(),
            greeted ? Is.EqualTo($"Hi {name}, thanks for calling. How can I help?") : Is.Null);
    }

    [Test]
    public async Task ConversationInitiation_WithAnotherSecret_IsUnauthorized()
    {
        using var response = await _http.SendAsync(InitiationRequest("+14155550123", "wrong-secret"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>Twilio's form post, signed like Twilio signs it (the URL the app sees in memory is http://localhost/...).</summary>
    private static HttpRequestMessage TwilioRequest(string from, bool signed)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC00000000000000000000000000000000",
            ["CallSid"] = "CA00000000000000000000000000000001",
            ["Direction"] = "inbound",
            ["From"] = from,
            ["To"] = CalledNumber,
        };
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/twilio/inbound", UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        if (signed)
        {
            request.Headers.Add(TwilioRequestValidator.HeaderName, new TwilioRequestValidator(TwilioAuthToken).ComputeSignature("http://localhost/twilio/inbound", form));
        }

        return request;
    }

    private static HttpRequestMessage InitiationRequest(string caller, string secret)
    {
        var json = new JsonObject { ["caller_id"] = caller, ["agent_id"] = AgentId, ["called_number"] = CalledNumber, ["call_sid"] = "CA1" }.ToJsonString();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/elevenlabs/initiation", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ConvAi-Initiation-Secret", secret);
        return request;
    }
}
