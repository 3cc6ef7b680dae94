using System.Text;
using System.Text.Json;

namespace ConvAi.Telephony.Tests.Webhooks;

public class ConvAiWebhookEventTests
{
    [Test]
    public void Parse_DocsTranscriptionExample_TypedConversation()
    {
        var webhookEvent = ConvAiWebhookEvent.Parse(WebhookFixtures.Load("post_call_transcription.json"));

        var transcription = webhookEvent as PostCallTranscriptionEvent;
        Assert.That(transcription, Is.Not.Null);
        var data = transcription!.GetData();
        Assert.Multiple(() =>
        {
            Assert.That(transcription!.Type, Is.EqualTo(ConvAiWebhookEventType.PostCallTranscription));
            Assert.That(transcription.EventTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1739537297)));
            Assert.That(transcription.ConversationId, Is.EqualTo("abc"));
            Assert.That(data.AgentId, Is.EqualTo("xyz"));
            Assert.That(data.ConversationId, Is.EqualTo("abc"));
            Assert.That(data.Status, Is.EqualTo(ConversationStatus.Done));
            Assert.That(data.UserId, Is.EqualTo("user123"));
            Assert.That(data.Transcript!.Select(t => t.Message), Is.EqualTo(new[] { "Hey there angelo. How are you?", "Hey, can you tell me the weather?" }));
            Assert.That(data.Transcript![1].Role, Is.EqualTo(TranscriptRole.User));
            Assert.That(data.Transcript[1].TimeInCallSecs, Is.EqualTo(2));
            Assert.That(data.Metadata!.CallDurationSecs, Is.EqualTo(22));
            Assert.That(data.Metadata.Cost, Is.EqualTo(296));
            Assert.That(data.Analysis!.CallSuccessful, Is.EqualTo(EvaluationResult.Success));
            Assert.That(data.Analysis.TranscriptSummary, Is.EqualTo("The user asked about the weather."));
            Assert.That(data.ConversationInitiationClientData!.DynamicVariables!["user_name"]!.GetValue<string>(), Is.EqualTo("angelo"));
        });
    }

    [TestCase("""{"type":"post_call_audio","event_timestamp":1739537297,"data":{"full_audio":""}}""", 1739537297L, TestName = "Parse_NumberTimestamp_Read")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":"1739537297","data":{"full_audio":""}}""", 1739537297L, TestName = "Parse_StringTimestamp_Read")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":1739537297.75,"data":{"full_audio":""}}""", 1739537297L, TestName = "Parse_FractionalTimestamp_Truncated")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":"2025-02-14T12:48:17Z","data":{"full_audio":""}}""", 1739537297L, TestName = "Parse_IsoStringTimestamp_Read")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":"soon","data":{"full_audio":""}}""", null, TestName = "Parse_UnreadableTimestamp_Null")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":null,"data":{"full_audio":""}}""", null, TestName = "Parse_NullTimestamp_Null")]
    [TestCase("""{"type":"post_call_audio","data":{"full_audio":""}}""", null, TestName = "Parse_MissingTimestamp_Null")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":1e300,"data":{"full_audio":""}}""", null, TestName = "Parse_OutOfRangeTimestamp_Null")]
    public void Parse_EventTimestamp_NumberOrString(string json, long? expectedUnixSeconds)
    {
        var webhookEvent = ConvAiWebhookEvent.Parse(Encoding.UTF8.GetBytes(json));

        Assert.That(webhookEvent.EventTimestamp, Is.EqualTo(expectedUnixSeconds is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null));
    }

    [Test]
    public void Parse_TranscriptionWithUnknownFieldsAndValues_KeepsThem()
    {
        var webhookEvent = (PostCallTranscriptionEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("post_call_transcription_unknown_fields.json"));

        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("future-conv"));
            Assert.That(webhookEvent.EventTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1739537297)));
            Assert.That(webhookEvent.GetData().AdditionalProperties!["a_field_from_2027"].GetString(), Is.EqualTo("hello"));
            Assert.That(webhookEvent.GetData().Status.Value, Is.EqualTo("archived"));
            Assert.That(webhookEvent.GetData().Metadata!.AdditionalProperties!.ContainsKey("new_metadata_field"), Is.True);
        });
    }

    [Test]
    public void Parse_TranscriptionWithBothTurnMetricsShapes_Parses()
    {
        var webhookEvent = (PostCallTranscriptionEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("post_call_transcription_turn_metrics.json"));

        var transcript = webhookEvent.GetData().Transcript!;
        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("metrics-conv"));
            Assert.That(webhookEvent.EventTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1739537297)));
            Assert.That(webhookEvent.GetData().Status, Is.EqualTo(ConversationStatus.InProgress));
            Assert.That(webhookEvent.GetData().HasAudio, Is.True);
            // Flat shape (webhook docs example): metric keys directly under conversation_turn_metrics.
            Assert.That(transcript[0].ConversationTurnMetrics!.Value.GetProperty("convai_llm_service_ttfb").GetProperty("elapsed_time").GetDouble(), Is.EqualTo(0.37));
            // Nested shape (spec): metrics under "metrics", plus provider fields.
            Assert.That(transcript[1].ConversationTurnMetrics!.Value.GetProperty("metrics").GetProperty("convai_asr_trailing_service_latency").GetProperty("elapsed_time").GetDouble(), Is.EqualTo(0.21));
        });
    }

    [Test]
    public void Parse_SipFailure_TypedBody()
    {
        var webhookEvent = (CallInitiationFailureEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("call_initiation_failure_sip.json"));

        var data = webhookEvent.Data;
        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.Type, Is.EqualTo(ConvAiWebhookEventType.CallInitiationFailure));
            Assert.That(webhookEvent.EventTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1759931652)));
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("abc"));
            Assert.That(data.AgentId, Is.EqualTo("xyz"));
            Assert.That(data.FailureReason, Is.EqualTo(CallInitiationFailureReason.Busy));
            Assert.That(data.Metadata!.Type, Is.EqualTo(CallInitiationFailureProvider.Sip));
            Assert.That(data.Metadata.Twilio, Is.Null);
            Assert.That(data.Metadata.Sip!.SipStatusCode, Is.EqualTo(486));
            Assert.That(data.Metadata.Sip.ErrorReason, Is.EqualTo("INVITE failed: sip status: 486: Busy here (SIP 486)"));
            Assert.That(data.Metadata.Sip.CallSid, Is.EqualTo("d8e7f6a5"));
            Assert.That(data.Metadata.Sip.SipStatus, Is.EqualTo("Busy here"));
            Assert.That(data.Metadata.Sip.TwirpCode, Is.EqualTo("unavailable"));
        });
    }

    [Test]
    public void Parse_TwilioFailure_PascalCaseDictionaryAndHyphenatedReason()
    {
        var webhookEvent = (CallInitiationFailureEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("call_initiation_failure_twilio.json"));

        var metadata = webhookEvent.Data.Metadata!;
        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.Data.FailureReason, Is.EqualTo(CallInitiationFailureReason.NoAnswer));
            Assert.That(webhookEvent.Data.FailureReason!.Value, Is.EqualTo("no-answer"));
            Assert.That(metadata.Type, Is.EqualTo(CallInitiationFailureProvider.Twilio));
            Assert.That(metadata.Sip, Is.Null);
            Assert.That(metadata.Twilio!["CallSid"], Is.EqualTo("CA1234567890abcdef"));
            Assert.That(metadata.Twilio["SipResponseCode"], Is.EqualTo("487"));
            Assert.That(metadata.Twilio["Direction"], Is.EqualTo("outbound-api"));
            Assert.That(metadata.Twilio["CallDuration"], Is.EqualTo("0"));
            Assert.That(metadata.Twilio.ContainsKey("callsid"), Is.False);
        });
    }

    [Test]
    public void Parse_FailureWithNewReasonAndProvider_KeepsValuesAndRawBody()
    {
        var webhookEvent = (CallInitiationFailureEvent)ConvAiWebhookEvent.Parse(WebhookFixtures.Load("call_initiation_failure_new_values.json"));

        var data = webhookEvent.Data;
        Assert.Multiple(() =>
        {
            Assert.That(data.FailureReason!.Value, Is.EqualTo("carrier-blocked"));
            Assert.That(data.Metadata!.Type.Value, Is.EqualTo("exotel"));
            Assert.That(data.Metadata.Sip, Is.Null);
            Assert.That(data.Metadata.Twilio, Is.Null);
            Assert.That(data.Metadata.Body!.Value.GetProperty("Code").GetInt32(), Is.EqualTo(17));
            Assert.That(data.AdditionalProperties!["retry_hint"].GetString(), Is.EqualTo("later"));
        });
    }

    [Test]
    public void Parse_UnknownType_KeepsRawPayload()
    {
        var body = WebhookFixtures.Load("unknown_type.json");

        var webhookEvent = (UnknownWebhookEvent)ConvAiWebhookEvent.Parse(body);
        body.AsSpan().Clear(); // the payload is detached from the input buffer

        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.Type.Value, Is.EqualTo("voice_removal_notice"));
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("jkl"));
            Assert.That(webhookEvent.Payload.GetProperty("data").GetProperty("voice_id").GetString(), Is.EqualTo("v123"));
            Assert.That(webhookEvent.Payload.GetProperty("type").GetString(), Is.EqualTo("voice_removal_notice"));
        });
    }

    [Test]
    public void Parse_UnknownTypeWithoutData_Parses()
    {
        var webhookEvent = ConvAiWebhookEvent.Parse("""{"type":"ping"}"""u8.ToArray());

        Assert.That(webhookEvent, Is.TypeOf<UnknownWebhookEvent>().With.Property(nameof(ConvAiWebhookEvent.ConversationId)).Null);
    }

    [TestCase("", TestName = "Parse_EmptyBody_Throws")]
    [TestCase("not json", TestName = "Parse_NotJson_Throws")]
    [TestCase("[1,2]", TestName = "Parse_Array_Throws")]
    [TestCase("""{"type":"post_call_transcription","data":{}""", TestName = "Parse_Truncated_Throws")]
    [TestCase("""{"type":"post_call_audio","data":{"full_audio":""}} trailing""", TestName = "Parse_TrailingGarbage_Throws")]
    [TestCase("""{"event_timestamp":1,"data":{}}""", TestName = "Parse_MissingType_Throws")]
    [TestCase("""{"type":42,"data":{}}""", TestName = "Parse_NumericType_Throws")]
    [TestCase("""{"type":"post_call_transcription"}""", TestName = "Parse_KnownTypeWithoutData_Throws")]
    [TestCase("""{"type":"post_call_transcription","data":null}""", TestName = "Parse_TranscriptionNullData_Throws")]
    [TestCase("""{"type":"post_call_transcription","data":[]}""", TestName = "Parse_TranscriptionArrayData_Throws")]
    [TestCase("""{"type":"post_call_transcription","data":{"conversation_id":"c","transcript":"base64!"}}""", TestName = "Parse_TranscriptionTranscriptNotList_Throws")]
    [TestCase("""{"type":"post_call_audio","data":{"agent_id":"a"}}""", TestName = "Parse_AudioWithoutFullAudio_Throws")]
    [TestCase("""{"type":"post_call_audio","data":{"full_audio":12}}""", TestName = "Parse_AudioNumericFullAudio_Throws")]
    [TestCase("""{"type":"post_call_audio","data":{"full_audio":"not base64!"}}""", TestName = "Parse_AudioInvalidBase64_Throws")]
    [TestCase("""{"type":"post_call_audio","data":{"full_audio":"QUJD\u0021RA=="}}""", TestName = "Parse_AudioEscapedInvalidBase64_Throws")]
    [TestCase("""{"type":"call_initiation_failure","data":{"failure_reason":7}}""", TestName = "Parse_FailureNumericReason_Throws")]
    [TestCase("""{"type":"call_initiation_failure","data":{"metadata":"sip"}}""", TestName = "Parse_FailureStringMetadata_Throws")]
    public void Parse_BadEnvelopeOrData_ThrowsPayloadException(string json)
    {
        var exception = Assert.Throws<ConvAiWebhookPayloadException>(() => ConvAiWebhookEvent.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.That(exception!.Message, Does.Not.Contain("base64!"));
    }

    [TestCase("""{"type":"post_call_transcription","data":null}""")]
    [TestCase("""{"type":"post_call_transcription","data":[]}""")]
    [TestCase("""{"type":"post_call_transcription","data":"text"}""")]
    public void TryParse_LazyTranscriptionDataNotAnObject_FailsBeforeBinding(string json)
    {
        var parsed = ConvAiWebhookEventParser.TryParse(Encoding.UTF8.GetBytes(json), lease: null, bindLazily: true, out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(error, Does.StartWith("The post_call_transcription webhook"));
        });
    }

    [TestCase("""{"type":"post_call_transcription","event_timestamp":1,"data":{"agent_id":"a","conversation_id":"c1","status":"done"}}""", true, TestName = "TryReadEnvelope_StopEarly_StopsAfterConversationId")]
    [TestCase("""{"event_timestamp":1,"data":{"conversation_id":"c1","status":"done"},"type":"post_call_transcription"}""", false, TestName = "TryReadEnvelope_StopEarlyTypeAfterData_ReadsWholeBody")]
    [TestCase("""{"type":"post_call_transcription","data":{"conversation_id":"c1","status":"done"},"event_timestamp":1}""", false, TestName = "TryReadEnvelope_StopEarlyTimestampAfterData_ReadsWholeBody")]
    [TestCase("""{"type":"post_call_audio","event_timestamp":1,"data":{"conversation_id":"c1","full_audio":""}}""", false, TestName = "TryReadEnvelope_StopEarlyAudio_ReadsWholeBody")]
    public void TryReadEnvelope_StopEarly_OnlyForTranscriptionsInTheSentOrder(string json, bool stops)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var read = ConvAiWebhookEventParser.TryReadEnvelope(body, out var early, out _, stopEarly: true);
        ConvAiWebhookEventParser.TryReadEnvelope(body, out var full, out _);

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.True);
            Assert.That((early.Type, early.ConversationId, early.Timestamp), Is.EqualTo((full.Type, full.ConversationId, full.Timestamp)));
            Assert.That(full.ConversationId, Is.EqualTo("c1"));
            Assert.That(early.DataStart, Is.EqualTo(full.DataStart));
            Assert.That(early.DataLength, stops ? Is.EqualTo(-1) : Is.EqualTo(full.DataLength));
            Assert.That(full.DataLength, Is.GreaterThan(0));
        });
    }

    [Test]
    public void TryReadEnvelope_StopEarlyThenLazyBind_BindsDataOnlyUpToItsEnd()
    {
        var body = WebhookFixtures.Load("post_call_transcription.json");
        Assert.That(ConvAiWebhookEventParser.TryReadEnvelope(body, out var envelope, out _, stopEarly: true), Is.True);

        Assert.That(ConvAiWebhookEventParser.TryParse(body, envelope, lease: null, bindLazily: true, out var parsed, out _), Is.True);
        var data = ((PostCallTranscriptionEvent)parsed!).GetData();

        Assert.Multiple(() =>
        {
            Assert.That(envelope.DataLength, Is.EqualTo(-1));
            Assert.That(data.ConversationId, Is.EqualTo("abc"));
            Assert.That(data.Transcript, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void TryParse_LazyTranscription_BindsOnFirstReadOnceAcrossThreads()
    {
        var body = WebhookFixtures.Load("post_call_transcription.json");
        Assert.That(ConvAiWebhookEventParser.TryParse(body, lease: null, bindLazily: true, out var parsed, out _), Is.True);
        var webhookEvent = (PostCallTranscriptionEvent)parsed!;

        var reads = Enumerable.Range(0, 8).AsParallel().Select(_ => webhookEvent.GetData()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("abc"));
            Assert.That(webhookEvent.EventTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1739537297)));
            Assert.That(reads, Is.All.SameAs(reads[0]), "every reader gets the one bound instance");
            Assert.That(reads[0].Transcript, Has.Count.EqualTo(2));
            Assert.That(webhookEvent.HasMalformedData, Is.False);
            Assert.That(new PostCallTranscriptionEvent(new Conversation { ConversationId = "set" }).GetData().ConversationId, Is.EqualTo("set"));
        });
    }

    [Test]
    public void TryParse_LazyTranscriptionMalformedData_ReadThrowsPayloadExceptionEveryTime()
    {
        var body = WebhookFixtures.MalformedTranscription();
        Assert.That(ConvAiWebhookEventParser.TryParse(body, lease: null, bindLazily: true, out var parsed, out _), Is.True, "the envelope is fine");
        var webhookEvent = (PostCallTranscriptionEvent)parsed!;

        var first = Assert.Throws<ConvAiWebhookPayloadException>(() => _ = webhookEvent.GetData());
        var second = Assert.Throws<ConvAiWebhookPayloadException>(() => _ = webhookEvent.GetData());

        Assert.Multiple(() =>
        {
            Assert.That(first!.Message, Does.Not.Contain("SECRET-TURN-TEXT"));
            Assert.That(second!.Message, Is.EqualTo(first.Message));
            Assert.That(webhookEvent.HasMalformedData, Is.True);
            Assert.That(webhookEvent.TryGetData(out _), Is.False);
            Assert.That(webhookEvent.ConversationId, Is.EqualTo("bad1"));
        });
    }

    [Test]
    public void CallInitiationFailure_UnknownValues_RoundTripThroughJson()
    {
        var failure = new CallInitiationFailure
        {
            ConversationId = "c1",
            FailureReason = new CallInitiationFailureReason("carrier-blocked"),
            Metadata = new CallInitiationFailureMetadata
            {
                Type = new CallInitiationFailureProvider("exotel"),
                Body = JsonDocument.Parse("""{"Code":17}""").RootElement.Clone(),
            },
        };

        var json = JsonSerializer.Serialize(failure, WebhookJsonContext.Default.CallInitiationFailure);
        var back = JsonSerializer.Deserialize(json, WebhookJsonContext.Default.CallInitiationFailure)!;

        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\"failure_reason\":\"carrier-blocked\"").And.Contain("\"type\":\"exotel\""));
            Assert.That(back.FailureReason, Is.EqualTo(new CallInitiationFailureReason("carrier-blocked")));
            Assert.That(back.FailureReason == CallInitiationFailureReason.Unknown, Is.False);
            Assert.That(back.Metadata!.Type.Value, Is.EqualTo("exotel"));
            Assert.That(back.Metadata.Body!.Value.GetProperty("Code").GetInt32(), Is.EqualTo(17));
            Assert.That(ConvAiWebhookEventType.Empty.ToString(), Is.Empty);
        });
    }
}
