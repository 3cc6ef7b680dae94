using System.Globalization;
using System.Text.Json.Nodes;
using ConvAi.Telephony;

namespace Quickstart;

/// <summary>
/// The Quickstart's steps, the same against the emulator and the real API: find or import the number, assign the agent,
/// place a call with dynamic variables, await its outcome, print its transcript and analysis, list recent conversations.
/// </summary>
internal sealed class QuickstartFlow(IConvAiTelephonyClient client, QuickstartSettings settings, TextWriter output)
{
    private const int StepCount = 5;
    private int _step;

    /// <summary>The step running now, for error messages.</summary>
    public string CurrentStep { get; private set; } = "start-up";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var phoneNumberId = await FindOrImportNumberAsync(cancellationToken);
        await AssignAgentAsync(phoneNumberId, cancellationToken);
        var call = await PlaceCallAsync(phoneNumberId, cancellationToken);
        var outcome = await WaitForOutcomeAsync(call, cancellationToken);
        if (outcome.Conversation is not { } conversation)
        {
            throw new QuickstartException(outcome.Kind == CallOutcomeKind.TimedOut
                ? $"Conversation {outcome.ConversationId} did not end within {settings.CallTimeout.TotalMinutes:0.#} min."
                : $"The call {outcome.ConversationId} did not connect: {outcome.Kind} ({outcome.FailureReason ?? "no reason given"}).");
        }

        PrintConversation(conversation);
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

    private async Task<TwilioCallResult> PlaceCallAsync(string phoneNumberId, CancellationToken cancellationToken)
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
        if (call.ConversationId is null)
        {
            throw new QuickstartException("The API accepted the call but returned no conversation id.");
        }

        Line($"conversation {call.ConversationId}, Twilio call {call.CallSid}");
        return call;
    }

    /// <summary>
    /// Awaits how the call ended. With the webhook listener in this process, its verified post-call webhook answers
    /// (the add-on hands it to the shared <see cref="CallOutcomeTracker"/>); the conversation is polled with backoff either way.
    /// </summary>
    private async Task<CallOutcome> WaitForOutcomeAsync(TwilioCallResult call, CancellationToken cancellationToken)
    {
        Step(settings.ReceivesWebhooks
            ? "Waiting for the call's outcome (signed post-call webhook, or polling)"
            : $"Waiting for the call's outcome (polling from every {settings.PollInterval.TotalSeconds:0} s; no PUBLIC_WEBHOOK_URL)");
        var outcome = await client.Calls.WaitForOutcomeAsync(
            call,
            new CallOutcomeWaitOptions { Timeout = settings.CallTimeout, PollInterval = settings.PollInterval },
            cancellationToken);
        Line($"outcome: {outcome.Kind}, {outcome.Duration?.TotalSeconds ?? 0:0} s, call successful: {outcome.CallSuccessful?.ToString() ?? "-"}");
        return outcome;
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
