using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Client;

/// <summary>Builds the library client the way an application does: DI, the named HttpClient, every handler the library adds.</summary>
public static class ClientFactory
{
    /// <summary>The base address both sides use; the in-memory handler never opens a socket.</summary>
    public static readonly Uri BaseAddress = new("https://api.elevenlabs.io/");

    /// <summary>The outbound call both sides place.</summary>
    public static StartTwilioCallRequest CallRequest { get; } = new()
    {
        AgentId = "agent_1",
        AgentPhoneNumberId = "phnum_twilio_1",
        ToNumber = "+447700900123",
        ConversationInitiationClientData = new ConversationInitiationClientData
        {
            UserId = "cust-42",
            DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["balance"] = 12.5, ["vip"] = true },
        },
    };

    /// <summary>Builds a container with <c>AddConvAiTelephony</c> whose primary handler is <paramref name="createHandler"/>, and resolves the client.</summary>
    public static (ServiceProvider Services, IConvAiTelephonyClient Client) Create(Func<HttpMessageHandler>? createHandler, Uri baseAddress)
    {
        var services = new ServiceCollection();
        var builder = services.AddConvAiTelephony(options =>
        {
            options.ApiKey = Payloads.ApiKey;
            options.BaseAddress = baseAddress;
        });
        if (createHandler is not null)
        {
            builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(createHandler);
        }

        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IConvAiTelephonyClient>());
    }
}
