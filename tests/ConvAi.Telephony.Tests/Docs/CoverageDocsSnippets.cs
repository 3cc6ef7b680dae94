// The C# blocks of docs/whatsapp.md, docs/workspace-webhooks.md (client part), docs/sip-diagnostics.md and the
// live-count limiter section of docs/resilience.md, compiled here so the documentation keeps compiling. Not run.
using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303

internal static class CoverageDocsSnippets
{
    public static async Task WhatsApp0(IConvAiTelephonyClient client)
    {
        IReadOnlyList<WhatsAppAccount> accounts = await client.WhatsApp.ListAccountsAsync(agentId: "agent_...");
        WhatsAppAccount account = await client.WhatsApp.GetAccountAsync(accounts[0].PhoneNumberId);

        WhatsAppCallResult call = await client.WhatsApp.StartCallAsync(new StartWhatsAppCallRequest
        {
            WhatsAppPhoneNumberId = account.PhoneNumberId,
            WhatsAppUserId = "447700900123",
            PermissionTemplateName = "call_permission",  // asks the user for call permission when needed
            PermissionTemplateLanguageCode = "en_US",
            AgentId = "agent_...",                       // or ConvAi:DefaultAgentId
        });

        WhatsAppMessageResult message = await client.WhatsApp.SendMessageAsync(new SendWhatsAppMessageRequest
        {
            WhatsAppPhoneNumberId = account.PhoneNumberId,
            WhatsAppUserId = "447700900123",
            TemplateName = "appointment_reminder",
            TemplateLanguageCode = "en_US",
            TemplateParams = [WhatsAppTemplateComponent.Body("Ana", "Tuesday 10:00")],
        });

        // Only the properties you set are sent; the others keep their values.
        await client.WhatsApp.UpdateAccountAsync(account.PhoneNumberId, new UpdateWhatsAppAccountRequest
        {
            AssignedAgentId = "agent_...",
            EnableTypingIndicator = true,
        });
        await client.WhatsApp.DeleteAccountAsync(account.PhoneNumberId);
    }

    public static async Task WorkspaceWebhooks0(IConvAiTelephonyClient client)
    {
        CreateWorkspaceWebhookResult created = await client.WorkspaceWebhooks.CreateAsync(new CreateWorkspaceWebhookRequest
        {
            Name = "Post-call results",
            WebhookUrl = "https://app.example.com/webhooks/elevenlabs",
        });
    }

    public static async Task WorkspaceWebhooks1(IConvAiTelephonyClient client)
    {
        IReadOnlyList<WorkspaceWebhook> webhooks = await client.WorkspaceWebhooks.ListAsync(includeUsages: true);
        WorkspaceWebhook postCall = webhooks.First(w => w.Usage?.Any(u => u.UsageType == "ConvAI Settings") == true);
        await client.WorkspaceWebhooks.UpdateAsync(postCall.WebhookId, new UpdateWorkspaceWebhookRequest
        {
            Name = postCall.Name!,
            IsDisabled = false,   // also enables a webhook ElevenLabs auto-disabled
            RetryEnabled = true,
        });
    }

    public static async Task Sip0(IConvAiTelephonyClient client, string conversationId, string phoneNumberId)
    {
        SipMessagePage page = await client.Conversations.ListSipMessagesAsync(conversationId, new SipMessageListOptions { PageSize = 50 });
        await foreach (SipMessage message in client.PhoneNumbers.ListAllSipMessagesAsync(phoneNumberId))
        {
            Console.WriteLine($"{message.Direction} {message.RawMessage?.Split('\n')[0]}");
        }

        SipFailure? failure = await client.Conversations.GetSipFailureAsync(conversationId);
        Console.WriteLine(failure?.ToString() ?? "no SIP failure"); // e.g. "486 Busy Here"
    }

    public static async Task Sip1(IConvAiTelephonyClient client)
    {
        ExotelCallResult call = await client.Calls.StartExotelCallAsync(new StartExotelCallRequest
        {
            AgentPhoneNumberId = "phnum_exotel...",  // an imported Exotel number, or ConvAi:DefaultPhoneNumberId
            ToNumber = "+919876543210",
            TelephonyCallConfig = new TelephonyCallConfig { RingingTimeoutSecs = 45 },
        });
    }

    public static async Task Sip2(IConvAiTelephonyClient client)
    {
        int live = await client.Conversations.GetLiveCountAsync();               // the whole workspace
        int agentLive = await client.Conversations.GetLiveCountAsync("agent_...");
    }

    public static void ResilienceLiveCount(IServiceCollection services, IConfiguration configuration)
    {
        // 1. Size the limit from what the plan has left.
        services.AddConvAiTelephony(configuration.GetSection("ConvAi"))
            .UseLiveCallCountLimiter(planConcurrencyLimit: 20, o => o.RefreshInterval = TimeSpan.FromSeconds(15));

        // 2. Supply any System.Threading.RateLimiting.RateLimiter, e.g. one shared by every instance through Redis.
        services.AddConvAiTelephony(configuration.GetSection("ConvAi"))
            .UseConcurrencyLimiter(sp => new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 10, QueueLimit = 100 }));
    }
}
