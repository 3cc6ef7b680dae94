// The C# blocks of docs/*.md, compiled here so the documentation keeps compiling. Not run.
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303

internal static class DocsSnippets
{
    public static async Task PhoneNumbers0(IConvAiTelephonyClient client, IServiceCollection services, IConfiguration configuration, string twilioAccountSid, string twilioAuthToken, CancellationToken cancellationToken)
    {
        ImportPhoneNumberResult imported = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+1 415 555 0100",
            Label = "Support line",
            Sid = twilioAccountSid,
            Token = twilioAuthToken, // sent to ElevenLabs, never logged
            AgentId = "agent_...",
        });

        ImportPhoneNumberResult trunk = await client.PhoneNumbers.ImportSipTrunkAsync(new ImportSipTrunkPhoneNumberRequest
        {
            PhoneNumber = "+14155550101",
            Label = "PBX",
            OutboundTrunkConfig = new OutboundSipTrunkConfig
            {
                Address = "sip.example.com",
                Transport = SipTransport.Tls,
                MediaEncryption = SipMediaEncryption.Required,
            },
        });

        IReadOnlyList<PhoneNumber> twilioNumbers = await client.PhoneNumbers.ListAsync(
            new PhoneNumberListOptions { Provider = PhoneNumberProvider.Twilio });

        PhoneNumber updated = await client.PhoneNumbers.UpdateAsync(imported.PhoneNumberId,
            new UpdatePhoneNumberRequest { AgentId = "agent_other" });

        await client.PhoneNumbers.DeleteAsync(trunk.PhoneNumberId);
        await Task.CompletedTask;
    }

    public static async Task OutboundCallsOutcome(IConvAiTelephonyClient client, CancellationToken cancellationToken)
    {
        // docs/outbound-calls.md: "Know how a call ended"
        TwilioCallResult placed = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest { ToNumber = "+447700900123" });

        CallOutcome outcome = await client.Calls.WaitForOutcomeAsync(placed, new CallOutcomeWaitOptions
        {
            Timeout = TimeSpan.FromMinutes(15),     // then Kind is TimedOut (the call may still be running)
            PollInterval = TimeSpan.FromSeconds(5), // first poll at once, then 5 s, 7.5 s, ... up to MaxPollInterval
            WaitForAnalysis = true,                 // false: answer at "processing", before the analysis
        }, cancellationToken);

        switch (outcome.Kind)
        {
            case CallOutcomeKind.Completed:
                Console.WriteLine($"{outcome.Duration?.TotalSeconds} s, successful: {outcome.CallSuccessful}");
                Console.WriteLine(outcome.Conversation!.Analysis?.TranscriptSummary);
                break;
            case CallOutcomeKind.Voicemail:
                Console.WriteLine("Reached voicemail; try again later.");
                break;
            case CallOutcomeKind.Busy or CallOutcomeKind.NoAnswer:
                Console.WriteLine($"Not reached ({outcome.FailureReason}).");
                break;
            case CallOutcomeKind.Failed:
                Console.WriteLine($"Failed: {outcome.FailureReason}");
                break;
            case CallOutcomeKind.TimedOut:
                Console.WriteLine($"Still running after 15 min (last status {outcome.Status}).");
                break;
        }

        // docs/outbound-calls.md: "Watch a batch"
        await foreach (BatchCallRecipientUpdate update in client.BatchCalls.WatchAsync("batch_...", cancellationToken: cancellationToken))
        {
            Console.WriteLine($"{update.Recipient.PhoneNumber}: {update.PreviousStatus?.ToString() ?? "new"} -> {update.Recipient.Status}");
        }
    }

    public static async Task OutboundCalls0(IConvAiTelephonyClient client, IServiceCollection services, IConfiguration configuration, string twilioAccountSid, string twilioAuthToken, CancellationToken cancellationToken)
    {
        TwilioCallResult call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_...",            // or ConvAi:DefaultAgentId
            AgentPhoneNumberId = "phnum_...", // or ConvAi:DefaultPhoneNumberId
            ToNumber = "+447700900123",
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                UserId = "customer-42",
                DynamicVariables = new Dictionary<string, JsonNode?>
                {
                    ["customer_name"] = "Ana",
                    ["balance"] = 12.5,
                    ["vip"] = true,
                    [DynamicVariables.Secret("account_token")] = "never sent to the LLM",
                },
            },
            TelephonyCallConfig = new TelephonyCallConfig { RingingTimeoutSecs = 30 },
        });

        SipTrunkCallResult sipCall = await client.Calls.StartSipTrunkCallAsync(new StartSipTrunkCallRequest
        {
            AgentPhoneNumberId = "phnum_sip...",
            ToNumber = "+14155550100",
        });

        string twiml = await client.Calls.RegisterTwilioCallAsync(new RegisterTwilioCallRequest
        {
            AgentId = "agent_...",
            FromNumber = "+14155550111",
            ToNumber = "+14155550100",
            Direction = TelephonyDirection.Inbound,
        });
        // Answer Twilio with twiml unchanged, Content-Type: text/xml.
        await Task.CompletedTask;
    }

    public static async Task Conversations0(IConvAiTelephonyClient client, IServiceCollection services, IConfiguration configuration, string twilioAccountSid, string twilioAuthToken, CancellationToken cancellationToken)
    {
        ConversationPage page = await client.Conversations.ListAsync(new ConversationListOptions
        {
            AgentId = "agent_...",
            UserId = "customer-42",
            PageSize = 50,
            ToolNames = ["lookup_order", "end_call"], // sent as repeated keys
        });

        await foreach (ConversationSummary summary in client.Conversations.ListAllAsync(
            new ConversationListOptions { CallStartAfterUnix = 1764000000 }, cancellationToken))
        {
            Console.WriteLine($"{summary.ConversationId} {summary.Status} {summary.CallSuccessful}");
        }

        Conversation conversation = await client.Conversations.GetAsync("conv_...");
        foreach (TranscriptEntry entry in conversation.Transcript ?? [])
        {
            Console.WriteLine($"{entry.Role}: {entry.Message}");
        }

        if (conversation.HasAudio)
        {
            await using Stream audio = await client.Conversations.GetAudioAsync(conversation.ConversationId);
            await using FileStream file = File.Create("call.mp3");
            await audio.CopyToAsync(file);
        }

        await client.Conversations.SendFeedbackAsync(conversation.ConversationId, ConversationFeedbackScore.Like);
        await client.Conversations.DeleteAsync(conversation.ConversationId);
        await Task.CompletedTask;
    }

    public static async Task Conversations1(IConvAiTelephonyClient client)
    {
        // docs/conversations.md: "Find a conversation by a reference"
        Conversation thread = await client.Conversations.ResolveAsync(
            agentId: "agent_...",   // null uses ConvAi:DefaultAgentId
            reference: "https://acme.slack.com/archives/C0123/p1764000000000100");
    }

    public static void Conversations2(Conversation conversation)
    {
        // docs/conversations.md: "What a conversation cost"
        if (conversation.Metadata?.Charging is { } charging)
        {
            Console.WriteLine($"{charging.LlmCharge} + {charging.PlatformCharge} credits, ${charging.LlmPrice} + ${charging.PlatformPrice}");
            foreach ((string category, PlatformCategoryUsage usage) in charging.PlatformUsage?.CategoryUsage ?? new Dictionary<string, PlatformCategoryUsage>())
            {
                Console.WriteLine($"  {category}: {usage.Credits} credits, ${usage.Price}");
            }
        }
    }

    public static async Task BatchCalls0(IConvAiTelephonyClient client, IServiceCollection services, IConfiguration configuration, string twilioAccountSid, string twilioAuthToken, CancellationToken cancellationToken)
    {
        BatchCall batch = await client.BatchCalls.SubmitAsync(new SubmitBatchCallRequest
        {
            CallName = "November reminders",
            AgentId = "agent_...",
            AgentPhoneNumberId = "phnum_...",
            Recipients =
            [
                new BatchCallRecipient
                {
                    PhoneNumber = "+14155550100",
                    ConversationInitiationClientData = new ConversationInitiationClientData
                    {
                        DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana" },
                    },
                },
            ],
        });

        BatchCall details = await client.BatchCalls.GetAsync(batch.Id); // Recipients filled in
        await foreach (BatchCall item in client.BatchCalls.ListAllAsync(new BatchCallListOptions { AgentId = "agent_..." }))
        {
            Console.WriteLine($"{item.Id} {item.Status}");
        }

        await client.BatchCalls.CancelAsync(batch.Id);
        await client.BatchCalls.RetryAsync(batch.Id); // calls failed and unanswered recipients again

        await using (Stream csv = await client.BatchCalls.ExportAsync(batch.Id)) // finished batches only
        {
            await using FileStream file = File.Create("batch.csv");
            await csv.CopyToAsync(file);
        }

        await client.BatchCalls.DeleteAsync(batch.Id); // answered with 204
        await Task.CompletedTask;
    }

    public static async Task Configuration0(IConvAiTelephonyClient client, IServiceCollection services, IConfiguration configuration, string twilioAccountSid, string twilioAuthToken, CancellationToken cancellationToken)
    {
        // From configuration (appsettings.json "ConvAi" section, or ConvAi__* environment variables):
        services.AddConvAiTelephony(configuration.GetSection("ConvAi"));

        // From the registered IConfiguration's "ConvAi" section:
        services.AddConvAiTelephony();

        // In code:
        IConvAiTelephonyBuilder builder = services.AddConvAiTelephony(o =>
        {
            o.ApiKey = Environment.GetEnvironmentVariable("ELEVENLABS_API_KEY");
            o.Environment = ConvAiEnvironment.Eu;
            o.DefaultAgentId = "agent_...";
        });

        // The named HttpClient "ConvAi.Telephony" serves every API area; keep configuring it here:
        builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler());

        // Without DI (create once, reuse):
        IConvAiTelephonyClient standalone = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = "..." });
        await Task.CompletedTask;
    }
}
