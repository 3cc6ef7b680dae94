using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Testing.Tests.Docs;

/// <summary>
/// The C# blocks of README.md and docs/getting-started.md. Each block is copied verbatim between "// README" or
/// "// docs/getting-started.md" and "// end of snippet"; the blocks that need a real account are compiled only, the
/// others are run against the emulator. Keep the two in step.
/// </summary>
public class ReadmeSnippets
{
    [Test]
    public async Task ReadmeTesting_ListsNumbersFromTheEmulator()
    {
        // README: "Testing with the emulator"
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        IReadOnlyList<PhoneNumber> numbers = await client.PhoneNumbers.ListAsync(); // served by the emulator
        // end of snippet

        Assert.That(numbers, Is.Empty);
        Assert.That(emulator.ReceivedRequests.Select(r => $"{r.Method} {r.Path}"), Is.EqualTo(new[] { "GET /v1/convai/phone-numbers" }));
    }

    [Test]
    public async Task GettingStarted_FirstCallAgainstTheEmulator_EndsDoneWithTheDynamicVariablesInTheTranscript()
    {
        // docs/getting-started.md: "6. Test it without calling anyone"
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = emulator.ApiKey,
            BaseAddress = emulator.BaseAddress,
        });
        // end of snippet

        var (call, conversation) = await FirstCallAsync(client, emulator);

        Assert.That(conversation.ConversationId, Is.EqualTo(call.ConversationId));
        Assert.That(conversation.Status, Is.EqualTo(ConversationStatus.Done));
        Assert.That(conversation.Transcript![0].Message, Does.StartWith("Hello Ana!"));
        Assert.That(emulator.PhoneNumbers.Single().PhoneNumber, Is.EqualTo("+14155550100"));
        Assert.That(emulator.Conversations.Single().UserId, Is.EqualTo("customer-42"));
    }

    [Test]
    public async Task GettingStarted_FirstCallTwice_ReusesTheImportedNumber()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });

        await FirstCallAsync(client, emulator);
        await FirstCallAsync(client, emulator);

        Assert.That(emulator.ReceivedRequests.Count(r => r is { Method: "POST", Path: "/v1/convai/phone-numbers" }), Is.EqualTo(1));
        Assert.That(emulator.Conversations, Has.Count.EqualTo(2));
    }

    /// <summary>docs/getting-started.md steps 4 and 5, after the client is created.</summary>
    private static async Task<(TwilioCallResult Call, Conversation Conversation)> FirstCallAsync(ConvAiTelephonyClient client, ConvAiEmulator emulator)
    {
        // docs/getting-started.md: "4. Import the number once, then call" (after creating the client)
        // Import the Twilio number (once: importing it again answers 409), or find it in the list.
        IReadOnlyList<PhoneNumber> numbers = await client.PhoneNumbers.ListAsync();
        string phoneNumberId = numbers.FirstOrDefault(n => n.Number == "+14155550100")?.PhoneNumberId
            ?? (await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
            {
                PhoneNumber = "+1 415 555 0100",   // normalized to +14155550100
                Label = "Getting started",
                Sid = "AC...",                     // Twilio Account SID
                Token = "...",                     // Twilio auth token
            })).PhoneNumberId;

        // The agent that answers and places calls from this number.
        await client.PhoneNumbers.UpdateAsync(phoneNumberId, new UpdatePhoneNumberRequest { AgentId = "agent_..." });

        TwilioCallResult call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_...",
            AgentPhoneNumberId = phoneNumberId,
            ToNumber = "+447700900123",
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                UserId = "customer-42",   // lets you find the conversation later
                DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana" }, // {{customer_name}} in the prompt
            },
        });
        Console.WriteLine($"Calling: conversation {call.ConversationId}");
        // end of snippet

        // Test only: wait for the emulator's end-of-call webhook, so the first read below is already done and the
        // snippet's 5-second delay never runs.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await emulator.WaitForWebhookAsync("post_call_transcription", call.ConversationId, timeout.Token);
        }

        // docs/getting-started.md: "5. Get the result"
        Conversation conversation = await client.Conversations.GetAsync(call.ConversationId!);
        while (conversation.Status != ConversationStatus.Done && conversation.Status != ConversationStatus.Failed)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            conversation = await client.Conversations.GetAsync(call.ConversationId!);
        }

        foreach (TranscriptEntry entry in conversation.Transcript ?? [])
        {
            Console.WriteLine($"{entry.Role}: {entry.Message}");
        }

        Console.WriteLine($"Successful: {conversation.Analysis?.CallSuccessful}, summary: {conversation.Analysis?.TranscriptSummary}");
        // end of snippet
        return (call, conversation);
    }

    /// <summary>Compiled, not run: needs an ElevenLabs account.</summary>
    private static async Task ReadmeUsage(string[] args)
    {
        // README: "Usage"
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddConvAiTelephony(builder.Configuration.GetSection("ConvAi"));
        // or: builder.Services.AddConvAiTelephony(o => o.ApiKey = Environment.GetEnvironmentVariable("ELEVENLABS_API_KEY"));

        var app = builder.Build();
        var client = app.Services.GetRequiredService<IConvAiTelephonyClient>();

        TwilioCallResult call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = "agent_...",
            AgentPhoneNumberId = "phnum_...",
            ToNumber = "+44 7700 900123", // normalized to E.164 before sending
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                UserId = "customer-42",
                DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["balance"] = 12.5 },
            },
        });
        Console.WriteLine($"{call.ConversationId} {call.CallSid}");
        // end of snippet

        // README: "Usage" (without a container)
        var standalone = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = "..." });
        // end of snippet
        _ = standalone;
    }

    /// <summary>Compiled, not run: needs a webhook secret and a host.</summary>
    private static void ReadmeWebhooks(WebApplicationBuilder builder)
    {
        // README: "Receive post-call webhooks", step 4
        builder.Services.AddConvAiWebhooks().AddHandler<CallResultsHandler>();   // binds ConvAi:Webhooks (+ WEBHOOK_SECRET)
        var app = builder.Build();
        app.MapConvAiWebhooks("/webhooks/elevenlabs");
        // end of snippet
    }

    /// <summary>Compiled, not run: needs an ElevenLabs account.</summary>
    private static void GettingStartedClient()
    {
        // docs/getting-started.md: "4. Import the number once, then call" (the client)
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = Environment.GetEnvironmentVariable("ConvAi__ApiKey"),
        });
        // end of snippet
        _ = client;
    }

    private sealed class CallResultsHandler : ConvAiWebhookHandler;
}
