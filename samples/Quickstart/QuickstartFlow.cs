using System.Globalization;
using System.Text.Json.Nodes;
using ConvAi.Telephony;

namespace Quickstart;

/// <summary>
/// The Quickstart's steps, the same against the emulator and the real API: find or import the number, assign the agent,
/// place a call with dynamic variables, wait for it to end, print its transcript and analysis, list recent conversations.
/// </summary>
internal sealed class QuickstartFlow(IConvAiTelephonyClient client, QuickstartSettings settings, PostCallInbox? inbox, TextWriter output)
{
    private const int StepCount = 5;
    private int _step;

    /// <summary>The step running now, for error messages.</summary>
    public string CurrentStep { get; private set; } = "start-up";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var phoneNumberId = await FindOrImportNumberAsync(cancellationToken);
        await AssignAgentAsync(phoneNumberId, cancellationToken);
        var conversationId = await PlaceCallAsync(phoneNumberId, cancellationToken);
        var conversation = await WaitForEndAsync(conversationId, cancellationToken);
        PrintConversation(conversation);
        if (conversation.Status == ConversationStatus.Failed)
        {
            var metadata = conversation.Metadata;
            throw new QuickstartException(
                $"The call {conversationId} ended failed: {metadata?.Error?.Reason ?? metadata?.TerminationReason ?? "no reason given"}.");
        }

        await ListRecentConversationsAsync(cancellationToken);
    }

    private async Task<string> FindOrImportNumberAsync(CancellationToken cancellationToken)
    {
        Step($"Phone number {settings.PhoneNumber}");
        var numbers = await client.PhoneNumbers.ListAsync(cancellationToken: cancellationToken);
        var existing = numbers.FirstOrDefault(n =>
            PhoneNumberFormat.TryNormalizeE164(n.Number, out var e164) && e164 == settings.PhoneNumber);
        if (existing is not null)
        {
            Line($"already imported as {existing.PhoneNumberId}: reusing it");
            return existing.PhoneNumberId;
        }

        if (settings.TwilioAccountSid is null || settings.TwilioAuthToken is null)
        {
            throw new QuickstartException(
                $"{settings.PhoneNumber} is not imported yet: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN so the Quickstart can import it.",
                QuickstartException.ConfigurationExitCode);
        }

        var imported = await client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = settings.PhoneNumber,
            Label = "ConvAi.Telephony Quickstart",
            Sid = settings.TwilioAccountSid,
            Token = settings.TwilioAuthToken,
        }, cancellationToken);
        Line($"imported from Twilio as {imported.PhoneNumberId}");
        return imported.PhoneNumberId;
    }

    private async Task AssignAgentAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        Step($"Agent {settings.AgentId}");
        var number = await client.PhoneNumbers.GetAsync(phoneNumberId, cancellationToken);
        if (number.AssignedAgent?.AgentId == settings.AgentId)
        {
            Line($"already answers {phoneNumberId}");
            return;
        }

        await client.PhoneNumbers.UpdateAsync(phoneNumberId, new UpdatePhoneNumberRequest { AgentId = settings.AgentId }, cancellationToken);
        Line($"assigned to {phoneNumberId}");
    }

    private async Task<string> PlaceCallAsync(string phoneNumberId, CancellationToken cancellationToken)
    {
        Step($"Calling {settings.CallToNumber}");
        var call = await client.Calls.StartTwilioCallAsync(new StartTwilioCallRequest
        {
            AgentId = settings.AgentId,
            AgentPhoneNumberId = phoneNumberId,
            ToNumber = settings.CallToNumber,
            ConversationInitiationClientData = new ConversationInitiationClientData
            {
                UserId = "quickstart-customer-42",
                // Filled into {{customer_name}} and {{order_number}} in the agent's prompt and first message.
                DynamicVariables = new Dictionary<string, JsonNode?> { ["customer_name"] = "Ana", ["order_number"] = 1042 },
            },
        }, cancellationToken);
        var conversationId = call.ConversationId
            ?? throw new QuickstartException("The API accepted the call but returned no conversation id.");
        Line($"conversation {conversationId}, Twilio call {call.CallSid}");
        return conversationId;
    }

    private async Task<Conversation> WaitForEndAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (inbox is not null)
        {
            Step("Waiting for the post-call webhook");
            var fromWebhook = await inbox.WaitAsync(conversationId, settings.CallTimeout, cancellationToken);
            Line($"received post_call_transcription, ElevenLabs-Signature verified ({fromWebhook.Status})");
            return fromWebhook;
        }

        Step($"Polling the conversation every {settings.PollInterval.TotalSeconds:0} s (no PUBLIC_WEBHOOK_URL)");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CallTimeout);
        ConversationStatus? reported = null;
        try
        {
            while (true)
            {
                var conversation = await client.Conversations.GetAsync(conversationId, cancellationToken: timeout.Token);
                if (conversation.Status != reported)
                {
                    reported = conversation.Status;
                    Line($"status {conversation.Status}");
                }

                if (conversation.Status == ConversationStatus.Done || conversation.Status == ConversationStatus.Failed)
                {
                    return conversation;
                }

                await Task.Delay(settings.PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new QuickstartException($"Conversation {conversationId} did not end within {settings.CallTimeout.TotalMinutes:0} min.");
        }
    }

    private void PrintConversation(Conversation conversation)
    {
        output.WriteLine();
        output.WriteLine($"Transcript of {conversation.ConversationId} ({conversation.Status}, {conversation.Metadata?.CallDurationSecs ?? 0} s):");
        foreach (var entry in conversation.Transcript ?? [])
        {
            var time = TimeSpan.FromSeconds(entry.TimeInCallSecs).ToString(@"m\:ss", CultureInfo.InvariantCulture);
            output.WriteLine($"  [{time}] {entry.Role,-5}: {entry.Message}");
        }

        output.WriteLine("Analysis:");
        if (conversation.Analysis is not { } analysis)
        {
            output.WriteLine("  (none)");
        }
        else
        {
            output.WriteLine($"  call successful: {analysis.CallSuccessful}");
            if (analysis.CallSummaryTitle is { } title)
            {
                output.WriteLine($"  title:           {title}");
            }

            output.WriteLine($"  summary:         {analysis.TranscriptSummary ?? "(none)"}");
            foreach (var (id, result) in analysis.EvaluationCriteriaResults ?? new Dictionary<string, EvaluationCriteriaResult>())
            {
                output.WriteLine($"  criterion {id}: {result.Result} {result.Rationale}");
            }

            foreach (var (id, result) in analysis.DataCollectionResults ?? new Dictionary<string, DataCollectionResult>())
            {
                output.WriteLine($"  collected {id}: {result.Value}");
            }
        }

        output.WriteLine();
    }

    private async Task ListRecentConversationsAsync(CancellationToken cancellationToken)
    {
        Step($"Recent conversations of {settings.AgentId}");
        var page = await client.Conversations.ListAsync(new ConversationListOptions { AgentId = settings.AgentId, PageSize = 5 }, cancellationToken);
        foreach (var summary in page.Conversations)
        {
            var started = DateTimeOffset.FromUnixTimeSeconds(summary.StartTimeUnixSecs).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            Line($"{summary.ConversationId}  {started}  {summary.Status,-11} {summary.CallDurationSecs,4} s  {summary.CallSuccessful?.ToString() ?? "-"}");
        }

        if (page.Conversations.Count == 0)
        {
            Line("(none)");
        }
    }

    private void Step(string text)
    {
        _step++;
        CurrentStep = text;
        output.WriteLine($"[{_step}/{StepCount}] {text}");
    }

    private void Line(string text) => output.WriteLine($"      {text}");
}
