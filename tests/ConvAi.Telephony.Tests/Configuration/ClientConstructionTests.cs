using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Configuration;

/// <summary>
/// The client builds each API area on first use (a cold start that places a call pays for nothing else), the same
/// instance every time, and a container's client keeps working after the scope it was resolved from ends.
/// </summary>
public class ClientConstructionTests
{
    private const string Call = """{"success":true,"message":"Success","conversation_id":"conv_1","callSid":"CA1"}""";

    [Test]
    public async Task Container_AreaNotUsed_IsNeverResolved()
    {
        var services = new ServiceCollection();
        var whatsAppResolutions = 0;
        services.AddTransient<WhatsAppClient>(_ =>
        {
            whatsAppResolutions++;
            throw new InvalidOperationException("the WhatsApp area was resolved");
        });
        using var mock = new MockHttpMessageHandler();
        var placed = mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"));
        placed.Respond(HttpStatusCode.OK, "application/json", Call);
        services.AddConvAiTelephony(o => o.ApiKey = ClientFixture.ApiKey).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => mock);
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IConvAiTelephonyClient>();
        var result = await client.Calls.StartTwilioCallAsync(Request());

        Assert.That(result.CallSid, Is.EqualTo("CA1"));
        Assert.That(whatsAppResolutions, Is.Zero);
        Assert.That(() => client.WhatsApp, Throws.InvalidOperationException.With.Message.EqualTo("the WhatsApp area was resolved"));
        Assert.That(whatsAppResolutions, Is.EqualTo(1));
    }

    [Test]
    public async Task Container_ClientFromDisposedScope_StillWorks()
    {
        using var fixture = new ClientFixture();
        var placed = fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/twilio/outbound-call"));
        placed.RespondJson(Call);
        IConvAiTelephonyClient client;
        using (var scope = fixture.Services.CreateScope())
        {
            client = scope.ServiceProvider.GetRequiredService<IConvAiTelephonyClient>();
        }

        var result = await client.Calls.StartTwilioCallAsync(Request());

        Assert.That(result.ConversationId, Is.EqualTo("conv_1"));
        Assert.That(fixture.Mock.GetMatchCount(placed), Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> Clients()
    {
        yield return new TestCaseData((Func<IDisposable?, IConvAiTelephonyClient>)(_ =>
            new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = ClientFixture.ApiKey }, new MockHttpMessageHandler()))).SetName("Standalone");
        yield return new TestCaseData((Func<IDisposable?, IConvAiTelephonyClient>)(owner => ((ClientFixture)owner!).Client)).SetName("Container");
    }

    [TestCaseSource(nameof(Clients))]
    public void Areas_SameInstanceOnEveryRead(Func<IDisposable?, IConvAiTelephonyClient> create)
    {
        using var fixture = new ClientFixture();
        var client = create(fixture);

        var areas = new Func<object>[]
        {
            () => client.PhoneNumbers, () => client.Calls, () => client.Conversations,
            () => client.BatchCalls, () => client.WhatsApp, () => client.WorkspaceWebhooks,
        };
        foreach (var read in areas)
        {
            var first = read();
            Assert.That(read(), Is.Not.Null.And.SameAs(first));
        }
    }

    private static StartTwilioCallRequest Request() => new()
    {
        AgentId = "agent_1",
        AgentPhoneNumberId = "phnum_1",
        ToNumber = "+447700900123",
    };
}
