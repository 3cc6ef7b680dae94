using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConvAi.Telephony.AspNetCore;
using MediaStreamBridge;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Samples.Tests.MediaStreamBridge;

/// <summary>
/// Runs the MediaStreamBridge sample's own Program.cs in memory, in its no-key mode (the emulator plays the order desk, pacing off), and
/// plays Twilio against it: the signed voice webhook, the signed stream, the order lookup tool, a contextual update from the other
/// endpoint, the transfer tool's hand-off, and the TwiML after the stream.
/// </summary>
public class OrderDeskCallTests
{
    private const string AuthToken = "test-twilio-token";

    private static CancellationToken Guard => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Test]
    public async Task Call_LooksUpTheOrder_TakesAContextualUpdate_HandsOffToAHuman()
    {
        await using var factory = new Factory();
        var client = factory.CreateClient();
        var fields = new Dictionary<string, string> { ["CallSid"] = "CA0rderdesk0000000000000000000001", ["From"] = "+14155550100", ["To"] = "+14155550199" };
        var validator = new TwilioRequestValidator(AuthToken);

        using var voice = await PostSignedAsync(client, "http://localhost/twilio/voice", fields, validator);
        var stream = XDocument.Parse(await voice.Content.ReadAsStringAsync()).Descendants("Stream").Single();
        var parameters = stream.Elements("Parameter").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        Assert.That(stream.Attribute("url")!.Value, Is.EqualTo("wss://localhost/twilio/media"));

        var sockets = factory.Server.CreateWebSocketClient();
        sockets.ConfigureRequest = r => r.Headers[TwilioRequestValidator.HeaderName] = validator.ComputeSignature("wss://localhost/twilio/media", []);
        using var socket = await sockets.ConnectAsync(new Uri("ws://localhost/twilio/media"), Guard);
        await SendAsync(socket, """{"event":"connected","protocol":"Call","version":"1.0.0"}""");
        var start = new JsonObject
        {
            ["event"] = "start",
            ["start"] = new JsonObject
            {
                ["streamSid"] = "MZorderdesk",
                ["callSid"] = "CA0rderdesk0000000000000000000001",
                ["accountSid"] = "AC1",
                ["mediaFormat"] = new JsonObject { ["encoding"] = "audio/x-mulaw", ["sampleRate"] = 8000, ["channels"] = 1 },
                ["customParameters"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            },
        };
        await SendAsync(socket, start.ToJsonString());
        await SendAsync(socket, """{"event":"media","media":{"track":"inbound","payload":"//////////8="}}""");

        var received = new List<JsonNode>();
        var reader = Task.Run(async () =>
        {
            // Twilio echoes each mark once the audio before it played.
            while (await ReceiveAsync(socket) is { } message)
            {
                received.Add(message);
                if (message["event"]!.GetValue<string>() == "mark")
                {
                    await SendAsync(socket, $$$"""{"event":"mark","streamSid":"MZorderdesk","mark":{"name":"{{{message["mark"]!["name"]}}}"}}""");
                }
            }
        });

        var calls = factory.Services.GetRequiredService<ILiveCalls>();
        LiveCall? call = null;
        var waiting = Guard;
        while (!calls.FindByCallSid("CA0rderdesk0000000000000000000001").TryGetCall(out call) || call.ConversationId is null)
        {
            Assert.That(reader.IsCompleted, Is.False, "the stream closed before the conversation started: " + string.Join(" ", received.Select(m => m.ToJsonString())) + socket.CloseStatusDescription);
            await Task.Delay(10, waiting);
        }

        Assert.That(await call.SendUserMessageAsync("Where is order 123?", Guard), Is.EqualTo(LiveCallSendResult.Sent));
        using var update = await client.PostAsJsonAsync("/calls/CA0rderdesk0000000000000000000001/context", new { text = "Order 123 left the warehouse." }, Guard);
        using var notHere = await client.PostAsJsonAsync("/calls/CA0e1sewhere/context", new { text = "x" }, Guard);
        Assert.That(await call.SendUserMessageAsync("Can I talk to a person?", Guard), Is.EqualTo(LiveCallSendResult.Sent));
        await reader.WaitAsync(Guard);

        using var after = await PostSignedAsync(client, "http://localhost/twilio/voice/after", fields, validator);
        var emulator = factory.Services.GetRequiredService<ConvAi.Telephony.IConvAiTelephonyClient>();
        var conversation = await emulator.Conversations.GetAsync(call.ConversationId!, cancellationToken: Guard);
        Assert.Multiple(async () =>
        {
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(notHere.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
            Assert.That(received.Select(m => m["event"]!.GetValue<string>()).Distinct(), Is.SubsetOf(new[] { "media", "mark", "clear" }));
            Assert.That(call.HandOffTarget, Is.EqualTo("+14155550123"));
            Assert.That(await after.Content.ReadAsStringAsync(), Is.EqualTo("""<?xml version="1.0" encoding="utf-8"?><Response><Dial>+14155550123</Dial></Response>"""));
            Assert.That(conversation.Transcript!.Select(t => t.Message), Does.Contain("Hello Ana, this is the order desk. How can I help?"));
            Assert.That(conversation.Transcript!.Select(t => t.Message), Has.Some.StartsWith("Your order: {\"order_id\":\"123\",\"status\":\"shipped today"));
        });
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string url, Dictionary<string, string> fields, TwilioRequestValidator validator)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioRequestValidator.HeaderName, validator.ComputeSignature(url, fields));
        var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
        return response;
    }

    private static Task SendAsync(WebSocket socket, string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, Guard);

    private static async Task<JsonNode?> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), Guard);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Guard);
                return null;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(buffer.AsSpan(0, count));
            }
        }
    }

    private sealed class Factory : WebApplicationFactory<ContextUpdate>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // No API key from the machine running the tests may switch the sample to the real API.
            builder.UseSetting("ConvAi:ApiKey", "");
            builder.UseSetting("ELEVENLABS_API_KEY", "");
            builder.UseSetting("ConvAi:Twilio:AuthToken", AuthToken);
            builder.UseSetting("Emulator:PaceAgentAudio", "false");
        }
    }
}
