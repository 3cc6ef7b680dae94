using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// Everything the emulator holds: phone numbers, conversations, batch calls and WhatsApp accounts, guarded by one lock, plus the
/// clock, the webhook dispatcher and the timers that end calls.
/// </summary>
internal sealed class EmulatorState : IDisposable
{
    private readonly List<ITimer> _timers = [];
    private readonly HashSet<string> _busyNumbers;
    private readonly HashSet<string> _noAnswerNumbers;
    private readonly HashSet<string> _unsuccessfulNumbers;
    private readonly HashSet<string> _failedNumbers;
    private readonly HashSet<string> _voicemailNumbers;
    private bool _disposed;
    private long _sequence;

    public EmulatorState(ConvAiEmulatorOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider;
        Webhooks = new EmulatorWebhookSender(options);
        _busyNumbers = new HashSet<string>(options.BusyNumbers, StringComparer.Ordinal);
        _noAnswerNumbers = new HashSet<string>(options.NoAnswerNumbers, StringComparer.Ordinal);
        _unsuccessfulNumbers = new HashSet<string>(options.UnsuccessfulNumbers, StringComparer.Ordinal);
        _failedNumbers = new HashSet<string>(options.FailedNumbers, StringComparer.Ordinal);
        _voicemailNumbers = new HashSet<string>(options.VoicemailNumbers, StringComparer.Ordinal);
        WhatsAppAccounts = [.. options.WhatsAppAccounts];
    }

    /// <summary>Gets the lock that guards every collection and record below.</summary>
    public object Gate { get; } = new();

    public ConvAiEmulatorOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public EmulatorWebhookSender Webhooks { get; }

    public List<PhoneNumberRecord> PhoneNumbers { get; } = [];

    public List<ConversationRecord> Conversations { get; } = [];

    public List<BatchCallRecord> BatchCalls { get; } = [];

    public List<WorkspaceWebhookRecord> WorkspaceWebhooks { get; } = [];

    /// <summary>Gets the connected WhatsApp accounts: a copy of the options' list, changed by the API's updates and deletes.</summary>
    public List<EmulatedWhatsAppAccount> WhatsAppAccounts { get; }

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    public PhoneNumberRecord? FindPhoneNumber(string id) => PhoneNumbers.Find(p => p.PhoneNumberId == id);

    public ConversationRecord? FindConversation(string id) => Conversations.Find(c => c.ConversationId == id);

    public BatchCallRecord? FindBatchCall(string id) => BatchCalls.Find(b => b.Id == id);

    public EmulatedWhatsAppAccount? FindWhatsAppAccount(string phoneNumberId)
        => WhatsAppAccounts.Find(a => a.PhoneNumberId == phoneNumberId);

    /// <summary>
    /// Places a call (Twilio or SIP, outbound or registered inbound): creates its conversation and schedules its end,
    /// which sends the post-call webhooks. Call under <see cref="Gate"/>.
    /// </summary>
    public ConversationRecord PlaceCall(
        string agentId,
        string callType,
        string direction,
        string? phoneNumberId,
        string agentNumber,
        string externalNumber,
        JsonObject? clientData,
        string? batchCallId = null,
        string? batchRecipientId = null)
    {
        var outcome = direction == "outbound" && _busyNumbers.Contains(externalNumber) ? EmulatedOutcome.Busy
            : direction == "outbound" && _noAnswerNumbers.Contains(externalNumber) ? EmulatedOutcome.NoAnswer
            : direction == "outbound" && _failedNumbers.Contains(externalNumber) ? EmulatedOutcome.Failed
            : direction == "outbound" && _voicemailNumbers.Contains(externalNumber) ? EmulatedOutcome.Voicemail
            : _unsuccessfulNumbers.Contains(externalNumber) ? EmulatedOutcome.Unsuccessful
            : EmulatedOutcome.Success;
        var conversation = new ConversationRecord
        {
            ConversationId = EmulatorIds.New("conv_"),
            Sequence = ++_sequence,
            AgentId = agentId,
            AgentName = Options.AgentName,
            CallType = callType,
            Direction = direction,
            PhoneNumberId = phoneNumberId,
            AgentNumber = agentNumber,
            ExternalNumber = externalNumber,
            CallSid = callType == "twilio" ? EmulatorIds.TwilioCallSid() : Guid.NewGuid().ToString(),
            ClientData = clientData,
            StartedAt = Now,
            Step = Options.StepDelay,
            Outcome = outcome,
            Script = outcome == EmulatedOutcome.Voicemail ? TranscriptScript.WriteVoicemail(clientData) : TranscriptScript.Write(clientData),
            BatchCallId = batchCallId,
            BatchRecipientId = batchRecipientId,
        };
        Conversations.Add(conversation);
        Schedule(conversation.EndsAt - conversation.StartedAt, () => OnCallEnded(conversation));
        return conversation;
    }

    /// <summary>
    /// Creates the conversation of a live session on the agent WebSocket: <c>in-progress</c> until <see cref="EndSession"/>. Call under <see cref="Gate"/>.
    /// </summary>
    public ConversationRecord BeginSession(string agentId, JsonObject? clientData, bool textOnly)
    {
        var conversation = new ConversationRecord
        {
            ConversationId = EmulatorIds.New("conv_"),
            Sequence = ++_sequence,
            AgentId = agentId,
            AgentName = Options.AgentName,
            CallType = "websocket",
            Direction = "inbound",
            PhoneNumberId = null,
            AgentNumber = string.Empty,
            ExternalNumber = string.Empty,
            CallSid = string.Empty,
            ClientData = clientData,
            StartedAt = Now,
            Step = Options.StepDelay,
            Outcome = EmulatedOutcome.Success,
            Script = new List<TranscriptTurn>(),
            IsSession = true,
            TextOnly = textOnly,
        };
        Conversations.Add(conversation);
        return conversation;
    }

    /// <summary>
    /// Ends a live session's conversation: <c>processing</c> for one step, then <c>done</c> with its post-call webhooks, like a call.
    /// Call under <see cref="Gate"/>.
    /// </summary>
    public void EndSession(ConversationRecord conversation)
    {
        if (conversation.SessionEndedAt is not null)
        {
            return;
        }

        conversation.SessionEndedAt = Now;
        Schedule(conversation.EndsAt - Now, () => OnCallEnded(conversation));
    }

    /// <summary>
    /// Runs <paramref name="action"/> once after <paramref name="dueTime"/> by the emulator's clock, then forgets the timer.
    /// Call under <see cref="Gate"/>.
    /// </summary>
    public void Schedule(TimeSpan dueTime, Action action)
    {
        if (_disposed)
        {
            return;
        }

        ITimer? timer = null;
        var fired = false;
        timer = TimeProvider.CreateTimer(
            _ =>
            {
                action();
                lock (Gate)
                {
                    // A timer due at once may fire before CreateTimer returns; then it is never added below.
                    fired = true;
                    if (timer is not null && _timers.Remove(timer))
                    {
                        timer.Dispose();
                    }
                }
            },
            null,
            dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime,
            Timeout.InfiniteTimeSpan);
        if (fired)
        {
            timer.Dispose();
        }
        else
        {
            _timers.Add(timer);
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            _disposed = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }

        Webhooks.Dispose();
    }

    private void OnCallEnded(ConversationRecord conversation)
    {
        lock (Gate)
        {
            if (_disposed || !Conversations.Contains(conversation))
            {
                return;
            }

            conversation.Ended = true;

            if (conversation.FailsToConnect)
            {
                Webhooks.Send(conversation.ConversationId, conversation.WebhookEvent(EmulatedWebhookPayload.CallInitiationFailure));
                return;
            }

            var transcription = conversation.WebhookEvent(EmulatedWebhookPayload.PostCallTranscription);
            if (!Options.SendAudioWebhook)
            {
                Webhooks.Send(conversation.ConversationId, transcription);
                return;
            }

            Webhooks.Send(conversation.ConversationId, transcription, conversation.WebhookEvent(EmulatedWebhookPayload.PostCallAudio));
        }
    }
}
