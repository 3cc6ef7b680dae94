namespace ConvAi.Telephony.Tests.Calls;

/// <summary>How a conversation and a <c>call_initiation_failure</c> are read as a <see cref="CallOutcome"/>: the one mapping both sources share.</summary>
public class CallOutcomeTests
{
    [TestCase("initiated", false)]
    [TestCase("in-progress", false)]
    [TestCase("processing", false)]
    [TestCase("processing", true)]
    [TestCase("done", false)]
    public void FromConversation_EndsOnlyAtDoneOrAcceptedProcessing(string status, bool acceptProcessing)
    {
        var outcome = CallOutcome.FromConversation(ConversationFixtures.Parse(ConversationFixtures.Json(status)), acceptProcessing);

        var ends = status == "done" || (status == "processing" && acceptProcessing);
        Assert.That(outcome, ends ? Is.Not.Null : Is.Null);
        if (outcome is not null)
        {
            Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Completed));
            Assert.That(outcome.Status, Is.EqualTo(new ConversationStatus(status)));
        }
    }

    [Test]
    public void FromConversation_Done_CarriesIdsDurationVerdictAndConversation()
    {
        var conversation = ConversationFixtures.Parse(ConversationFixtures.Json("done"));

        var outcome = CallOutcome.FromConversation(conversation, acceptProcessing: false)!;

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Completed));
            Assert.That(outcome.ConversationId, Is.EqualTo("conv_1"));
            Assert.That(outcome.CallId, Is.EqualTo("CA123"));
            Assert.That(outcome.Duration, Is.EqualTo(TimeSpan.FromSeconds(95)));
            Assert.That(outcome.CallSuccessful, Is.EqualTo(EvaluationResult.Success));
            Assert.That(outcome.FailureReason, Is.Null);
            Assert.That(outcome.Conversation, Is.SameAs(conversation));
        });
    }

    [Test]
    public void FromConversation_SipTrunk_TakesTheSipCallId()
    {
        var json = ConversationFixtures.Json("done");
        json["metadata"]!["phone_call"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "sip_trunking", ["call_id"] = "sip-call-7", ["call_sid"] = "other" };

        var outcome = CallOutcome.FromConversation(ConversationFixtures.Parse(json), acceptProcessing: false)!;

        Assert.That(outcome.CallId, Is.EqualTo("sip-call-7"));
    }

    [Test]
    public void FromConversation_VoicemailDetectionToolResult_IsVoicemailWithTheConversation()
    {
        var outcome = CallOutcome.FromConversation(ConversationFixtures.Parse(ConversationFixtures.Voicemail()), acceptProcessing: false)!;

        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Voicemail));
        Assert.That(outcome.CallSuccessful, Is.EqualTo(EvaluationResult.Failure));
        Assert.That(outcome.Conversation, Is.Not.Null);
    }

    [Test]
    public void FromConversation_OtherSystemToolResult_IsCompleted()
    {
        var json = ConversationFixtures.Voicemail();
        json["transcript"]!.AsArray()[^1]!["tool_results"]![0]!["result"]!["result_type"] = "end_call_success";

        var outcome = CallOutcome.FromConversation(ConversationFixtures.Parse(json), acceptProcessing: false)!;

        Assert.That(outcome.Kind, Is.EqualTo(CallOutcomeKind.Completed));
    }

    [TestCase("busy", "", CallOutcomeKind.Busy, "busy")]
    [TestCase("no-answer", "", CallOutcomeKind.NoAnswer, "no-answer")]
    [TestCase("unknown", "", CallOutcomeKind.Failed, "unknown")]
    [TestCase(null, "Call initiation failed.", CallOutcomeKind.Failed, "Call initiation failed.")]
    [TestCase(null, null, CallOutcomeKind.Failed, null)]
    public void FromConversation_Failed_ClassifiesTheErrorReason(string? errorReason, string? terminationReason, CallOutcomeKind kind, string? reason)
    {
        var outcome = CallOutcome.FromConversation(ConversationFixtures.Parse(ConversationFixtures.Failed(errorReason, terminationReason)), acceptProcessing: false)!;

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Kind, Is.EqualTo(kind));
            Assert.That(outcome.FailureReason, Is.EqualTo(reason));
            Assert.That(outcome.Status, Is.EqualTo(ConversationStatus.Failed));
            Assert.That(outcome.Duration, Is.EqualTo(TimeSpan.Zero));
            Assert.That(outcome.CallSuccessful, Is.Null);
            Assert.That(outcome.Conversation, Is.Null);
        });
    }

    [TestCase("busy", CallOutcomeKind.Busy)]
    [TestCase("no-answer", CallOutcomeKind.NoAnswer)]
    [TestCase("unknown", CallOutcomeKind.Failed)]
    [TestCase("carrier-blocked", CallOutcomeKind.Failed)]
    [TestCase(null, CallOutcomeKind.Failed)]
    public void Failure_MapsTheWebhookReason(string? reason, CallOutcomeKind kind)
    {
        var outcome = CallOutcome.Failure("conv_9", reason, "CA9");

        Assert.That(outcome, Is.EqualTo(new CallOutcome
        {
            Kind = kind,
            ConversationId = "conv_9",
            CallId = "CA9",
            Status = ConversationStatus.Failed,
            Duration = TimeSpan.Zero,
            FailureReason = reason,
        }));
    }
}
