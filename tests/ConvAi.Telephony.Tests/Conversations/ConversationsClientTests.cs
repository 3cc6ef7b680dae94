using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Conversations;

public class ConversationsClientTests : MockedClientTests
{
    private const string ListPath = "/v1/convai/conversations";

    [Test]
    public async Task ListAsync_NoOptions_SendsNoQueryAndParsesEveryField()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath))
            .WithExactQueryString("")
            .WithHeaders("xi-api-key", ClientFixture.ApiKey);
        mocked.RespondResource("Conversations/list-page1.json");

        var page = await Fixture.Client.Conversations.ListAsync();

        Assert.That(page.HasMore, Is.True);
        Assert.That(page.NextCursor, Is.EqualTo("cursor_page_2"));
        Assert.That(page.Conversations, Has.Count.EqualTo(2));
        var first = page.Conversations[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.AgentId, Is.EqualTo("agent_1"));
            Assert.That(first.ConversationId, Is.EqualTo("conv_1"));
            Assert.That(first.StartTimeUnixSecs, Is.EqualTo(1764000000));
            Assert.That(first.CallDurationSecs, Is.EqualTo(95));
            Assert.That(first.MessageCount, Is.EqualTo(12));
            Assert.That(first.Status, Is.EqualTo(ConversationStatus.Done));
            Assert.That(first.CallSuccessful, Is.EqualTo(EvaluationResult.Success));
            Assert.That(first.AgentName, Is.EqualTo("Support agent"));
            Assert.That(first.BranchId, Is.Null);
            Assert.That(first.VersionId, Is.EqualTo("v3"));
            Assert.That(first.TerminationReason, Is.EqualTo("end_call tool"));
            Assert.That(first.CallSuccessScore, Is.EqualTo(0.92));
            Assert.That(first.TranscriptSummary, Is.EqualTo("The customer asked about a refund."));
            Assert.That(first.CallSummaryTitle, Is.EqualTo("Refund question"));
            Assert.That(first.MainLanguage, Is.EqualTo("en"));
            Assert.That(first.ConversationInitiationSource, Is.EqualTo(ConversationInitiationSource.Twilio));
            Assert.That(first.ToolNames, Is.EqualTo(new[] { "lookup_order" }));
            Assert.That(first.Direction, Is.EqualTo(TelephonyDirection.Outbound));
            Assert.That(first.Rating, Is.EqualTo(4.5));
            Assert.That(first.SentimentAnalysis!.OverallLabel, Is.EqualTo("positive"));
            Assert.That(first.SentimentAnalysis.OverallSentimentScore, Is.EqualTo(0.7));
            Assert.That(first.SentimentAnalysis.OverallFrustrationScore, Is.EqualTo(0.1));
            Assert.That(first.SentimentAnalysis.MinUserSentimentScore, Is.EqualTo(0.2));
            Assert.That(first.SentimentAnalysis.MaxUserFrustrationScore, Is.EqualTo(0.3));
            Assert.That(first.SentimentAnalysis.NumScoredUserTurns, Is.EqualTo(6));
            Assert.That(first.DataCollectionResults!.Value.GetProperty("order_id").GetString(), Is.EqualTo("A-1"));
            Assert.That(first.EvaluationCriteriaResults!["solved"].Result, Is.EqualTo(EvaluationResult.Success));
            Assert.That(first.EvaluationCriteriaResults["solved"].Score, Is.EqualTo(1));
            Assert.That(first.EvaluationCriteriaResults["solved"].MaxScore, Is.EqualTo(1));
            Assert.That(first.TagIds, Is.EqualTo(new[] { "tag_vip" }));
        });
        var second = page.Conversations[1];
        Assert.That(second.Status, Is.EqualTo(ConversationStatus.InProgress));
        Assert.That(second.Status.Value, Is.EqualTo("in-progress"));
        Assert.That(second.ToolNames, Is.Null);
        Assert.That(second.AdditionalProperties!.ContainsKey("new_field_from_the_future"), Is.True);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAsync_EveryFilter_SendsSnakeCaseQueryWithRepeatedArrayKeys()
    {
        const string expected =
            "cursor=c1&agent_id=agent_1&call_successful=failure&call_start_before_unix=1764009999&call_start_after_unix=1764000000" +
            "&user_id=cust-42&page_size=50&summary_mode=include&call_duration_min_secs=5&call_duration_max_secs=600&rating_min=1&rating_max=5" +
            "&has_feedback_comment=true&visited_agent_ids=a1&visited_agent_ids=a2&visited_agent_branch_ids=b1&triggered_procedure_ids=p1" +
            "&evaluation_params=solved:success&data_collection_params=order_id:eq:A-1&data_collection_ids=order_id&evaluation_criteria_ids=solved" +
            "&tool_names=a&tool_names=b&tool_names_successful=a&tool_names_errored=b&include_invalid_tool_calls=false&main_languages=en&main_languages=pt" +
            "&topic_ids=t1&tag_ids=tag1&termination_reasons=hangup&custom_guardrail_names=g1&guardrail_types=toxicity&search=refund please" +
            "&conversation_initiation_source=twilio&text_only=false&conversation_product_type=agents&branch_id=br&version_id=v3" +
            "&parent_conversation_id=conv_p&workflow_node_entered_id=node_1&exclude_statuses=in-progress&exclude_statuses=failed&sort_direction=asc";
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString(expected);
        mocked.RespondJson("""{"conversations":[],"next_cursor":null,"has_more":false}""");

        await Fixture.Client.Conversations.ListAsync(new ConversationListOptions
        {
            Cursor = "c1",
            AgentId = "agent_1",
            CallSuccessful = EvaluationResult.Failure,
            CallStartBeforeUnix = 1764009999,
            CallStartAfterUnix = 1764000000,
            UserId = "cust-42",
            PageSize = 50,
            SummaryMode = ConversationSummaryMode.Include,
            CallDurationMinSecs = 5,
            CallDurationMaxSecs = 600,
            RatingMin = 1,
            RatingMax = 5,
            HasFeedbackComment = true,
            VisitedAgentIds = ["a1", "a2"],
            VisitedAgentBranchIds = ["b1"],
            TriggeredProcedureIds = ["p1"],
            EvaluationParams = ["solved:success"],
            DataCollectionParams = ["order_id:eq:A-1"],
            DataCollectionIds = ["order_id"],
            EvaluationCriteriaIds = ["solved"],
            ToolNames = ["a", "b"],
            ToolNamesSuccessful = ["a"],
            ToolNamesErrored = ["b"],
            IncludeInvalidToolCalls = false,
            MainLanguages = ["en", "pt"],
            TopicIds = ["t1"],
            TagIds = ["tag1"],
            TerminationReasons = ["hangup"],
            CustomGuardrailNames = ["g1"],
            GuardrailTypes = ["toxicity"],
            Search = "refund please",
            ConversationInitiationSource = ConversationInitiationSource.Twilio,
            TextOnly = false,
            ConversationProductType = "agents",
            BranchId = "br",
            VersionId = "v3",
            ParentConversationId = "conv_p",
            WorkflowNodeEnteredId = "node_1",
            ExcludeStatuses = [ConversationStatus.InProgress, ConversationStatus.Failed],
            SortDirection = SortDirection.Ascending,
        });

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> RequestOnlyValues()
    {
        yield return new TestCaseData(new ConversationListOptions { SortDirection = SortDirection.Ascending }, "sort_direction=asc");
        yield return new TestCaseData(new ConversationListOptions { SortDirection = SortDirection.Descending }, "sort_direction=desc");
        yield return new TestCaseData(new ConversationListOptions { SummaryMode = ConversationSummaryMode.Exclude }, "summary_mode=exclude");
        yield return new TestCaseData(new ConversationListOptions { SummaryMode = ConversationSummaryMode.Include }, "summary_mode=include");
        yield return new TestCaseData(new ConversationListOptions { HasFeedbackComment = false, TextOnly = true }, "has_feedback_comment=false&text_only=true");
        yield return new TestCaseData(new ConversationListOptions { IncludeInvalidToolCalls = true }, "include_invalid_tool_calls=true");
        yield return new TestCaseData(new ConversationListOptions { ExcludeStatuses = [], ToolNames = [] }, "");
        yield return new TestCaseData(new ConversationListOptions { CallStartAfterUnix = -1, PageSize = 100 }, "call_start_after_unix=-1&page_size=100");
    }

    [TestCaseSource(nameof(RequestOnlyValues))]
    public async Task ListAsync_OneFilter_SendsExactlyItsWireForm(ConversationListOptions options, string expected)
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString(expected);
        mocked.RespondJson("""{"conversations":[],"next_cursor":null,"has_more":false}""");

        await Fixture.Client.Conversations.ListAsync(options);

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAsync_EscapesValues_InTheRawQuery()
    {
        string? query = null;
        Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath))
            .With(r => (query = r.RequestUri!.Query) is not null)
            .RespondJson("""{"conversations":[],"next_cursor":null,"has_more":false}""");

        await Fixture.Client.Conversations.ListAsync(new ConversationListOptions { Search = "a b&c=d", EvaluationParams = ["solved:success"] });

        Assert.That(query, Is.EqualTo("?evaluation_params=solved%3Asuccess&search=a%20b%26c%3Dd"));
    }

    private static IEnumerable<TestCaseData> UndefinedRequestOnlyValues()
    {
        yield return new TestCaseData(new ConversationListOptions { SortDirection = (SortDirection)7 }).SetName("ListAsync_UndefinedSortDirection_ThrowsBeforeSending");
        yield return new TestCaseData(new ConversationListOptions { SummaryMode = (ConversationSummaryMode)7 }).SetName("ListAsync_UndefinedSummaryMode_ThrowsBeforeSending");
    }

    [TestCaseSource(nameof(UndefinedRequestOnlyValues))]
    public void ListAsync_UndefinedEnumValue_ThrowsBeforeSending(ConversationListOptions options)
    {
        var mocked = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath));
        mocked.RespondJson("""{"conversations":[],"next_cursor":null,"has_more":false}""");

        Assert.That(async () => await Fixture.Client.Conversations.ListAsync(options), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.Zero);
    }

    [Test]
    public async Task ListAllAsync_TwoPages_FollowsCursorAndStopsWhenHasMoreIsFalse()
    {
        var first = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString("agent_id=agent_1&page_size=2");
        first.RespondResource("Conversations/list-page1.json");
        var second = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString("cursor=cursor_page_2&agent_id=agent_1&page_size=2");
        second.RespondResource("Conversations/list-page2.json");

        var ids = new List<string>();
        await foreach (var conversation in Fixture.Client.Conversations.ListAllAsync(new ConversationListOptions { AgentId = "agent_1", PageSize = 2 }))
        {
            ids.Add(conversation.ConversationId);
        }

        Assert.That(ids, Is.EqualTo(new[] { "conv_1", "conv_2", "conv_3" }));
        Assert.That(Fixture.Mock.GetMatchCount(first), Is.EqualTo(1));
        Assert.That(Fixture.Mock.GetMatchCount(second), Is.EqualTo(1));
        Fixture.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task ListAllAsync_HasMoreButNullCursor_Stops()
    {
        var mocked = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath));
        mocked.RespondJson("""{"conversations":[{"agent_id":"a","conversation_id":"c","start_time_unix_secs":1,"call_duration_secs":1,"message_count":1,"status":"done","call_successful":"success"}],"next_cursor":null,"has_more":true}""");

        var count = 0;
        await foreach (var unused in Fixture.Client.Conversations.ListAllAsync())
        {
            count++;
        }

        Assert.That(count, Is.EqualTo(1));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAllAsync_CancelledAfterFirstPage_DoesNotRequestSecondPage()
    {
        var first = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString("");
        first.RespondResource("Conversations/list-page1.json");
        var second = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath)).WithQueryString("cursor", "cursor_page_2");
        second.RespondResource("Conversations/list-page2.json");
        using var cts = new CancellationTokenSource();

        var seen = new List<string>();
        Assert.That(async () =>
        {
            await foreach (var conversation in Fixture.Client.Conversations.ListAllAsync(cancellationToken: cts.Token))
            {
                seen.Add(conversation.ConversationId);
                if (seen.Count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        }, Throws.InstanceOf<OperationCanceledException>());

        Assert.That(seen, Is.EqualTo(new[] { "conv_1", "conv_2" }));
        Assert.That(Fixture.Mock.GetMatchCount(first), Is.EqualTo(1));
        Assert.That(Fixture.Mock.GetMatchCount(second), Is.Zero);
    }

    [Test]
    public void ListAllAsync_CancelledThroughWithCancellation_DoesNotRequestSecondPage()
    {
        var first = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString("");
        first.RespondResource("Conversations/list-page1.json");
        var second = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url(ListPath)).WithQueryString("cursor", "cursor_page_2");
        second.RespondResource("Conversations/list-page2.json");
        using var cts = new CancellationTokenSource();

        Assert.That(async () =>
        {
            await foreach (var unused in Fixture.Client.Conversations.ListAllAsync().WithCancellation(cts.Token))
            {
                await cts.CancelAsync();
            }
        }, Throws.InstanceOf<OperationCanceledException>());

        Assert.That(Fixture.Mock.GetMatchCount(second), Is.Zero);
    }

    [Test]
    public async Task ListAllAsync_StartCursorGiven_StartsThere()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString("cursor=cursor_page_2");
        mocked.RespondResource("Conversations/list-page2.json");

        var ids = new List<string>();
        await foreach (var conversation in Fixture.Client.Conversations.ListAllAsync(new ConversationListOptions { Cursor = "cursor_page_2" }))
        {
            ids.Add(conversation.ConversationId);
        }

        Assert.That(ids, Is.EqualTo(new[] { "conv_3" }));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_FullConversation_ParsesEveryField()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1")).WithExactQueryString("");
        mocked.RespondResource("Conversations/get.json");

        var c = await Fixture.Client.Conversations.GetAsync("conv_1");

        Assert.Multiple(() =>
        {
            Assert.That(c.AgentId, Is.EqualTo("agent_1"));
            Assert.That(c.ConversationId, Is.EqualTo("conv_1"));
            Assert.That(c.Status, Is.EqualTo(ConversationStatus.Done));
            Assert.That(c.UserId, Is.EqualTo("cust-42"));
            Assert.That(c.AgentName, Is.EqualTo("Support agent"));
            Assert.That(c.BranchId, Is.EqualTo("br_main"));
            Assert.That(c.VersionId, Is.EqualTo("v3"));
            Assert.That(c.ConversationProduct, Is.EqualTo("agent"));
            Assert.That(c.Environment, Is.EqualTo("production"));
            Assert.That(c.HasAudio, Is.True);
            Assert.That(c.HasUserAudio, Is.True);
            Assert.That(c.HasResponseAudio, Is.True);
            Assert.That(c.HasAuxiliaryAudio, Is.False);
            Assert.That(c.VisitedAgents![0].AgentId, Is.EqualTo("agent_1"));
            Assert.That(c.VisitedAgents[0].BranchId, Is.EqualTo("br_main"));
            Assert.That(c.TagIds, Is.EqualTo(new[] { "tag_vip" }));
            Assert.That(c.OtlpTraces?.ValueKind ?? JsonValueKind.Null, Is.EqualTo(JsonValueKind.Null));
        });

        var transcript = c.Transcript!;
        Assert.That(transcript, Has.Count.EqualTo(3));
        Assert.Multiple(() =>
        {
            Assert.That(transcript[0].Role, Is.EqualTo(TranscriptRole.Agent));
            Assert.That(transcript[0].TimeInCallSecs, Is.Zero);
            Assert.That(transcript[0].Message, Does.StartWith("Hi Ana"));
            Assert.That(transcript[0].ToolCalls, Is.Empty);
            Assert.That(transcript[0].Interrupted, Is.False);
            Assert.That(transcript[0].ConversationTurnMetrics!.Value.GetProperty("metrics").GetProperty("convai_llm_service_ttfb").GetProperty("elapsed_time").GetDouble(), Is.EqualTo(0.37));
            Assert.That(transcript[0].AgentMetadata!.AgentId, Is.EqualTo("agent_1"));
            Assert.That(transcript[0].AgentMetadata!.VersionId, Is.EqualTo("v3"));
            Assert.That(transcript[0].SourceMedium, Is.EqualTo("audio"));
            Assert.That(transcript[0].LlmUsage!.Value.GetProperty("model_usage").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(transcript[1].Role, Is.EqualTo(TranscriptRole.User));
            Assert.That(transcript[1].Feedback!.Score, Is.EqualTo(ConversationFeedbackScore.Like));
            Assert.That(transcript[1].Feedback!.TimeInCallSecs, Is.EqualTo(4));
            Assert.That(transcript[1].Interrupted, Is.True);
            Assert.That(transcript[1].SourceEventId, Is.EqualTo(17));
            Assert.That(transcript[2].Message, Is.Null);
        });

        var calls = transcript[2].ToolCalls;
        Assert.Multiple(() =>
        {
            Assert.That(calls[0].RequestId, Is.EqualTo("req_tool_1"));
            Assert.That(calls[0].ToolName, Is.EqualTo("lookup_order"));
            Assert.That(calls[0].ParamsAsJson, Is.EqualTo("{\"order_id\":\"A-1\"}"));
            Assert.That(calls[0].ToolHasBeenCalled, Is.True);
            Assert.That(calls[0].Type, Is.EqualTo(ToolType.Webhook));
            Assert.That(calls[0].ToolDetails!.Value.GetProperty("url").GetString(), Is.EqualTo("https://example.com/orders/A-1"));
            Assert.That(calls[1].Type, Is.EqualTo(ToolType.System));
        });

        var results = transcript[2].ToolResults;
        Assert.That(results, Has.Count.EqualTo(5));
        Assert.Multiple(() =>
        {
            Assert.That(results[0].ResultValue, Is.EqualTo("{\"status\":\"shipped\"}"));
            Assert.That(results[0].IsError, Is.False);
            Assert.That(results[0].ToolLatencySecs, Is.EqualTo(0.42));
            Assert.That(results[0].DynamicVariableUpdates![0].VariableName, Is.EqualTo("order_status"));
            Assert.That(results[0].DynamicVariableUpdates![0].OldValue?.ValueKind ?? JsonValueKind.Null, Is.EqualTo(JsonValueKind.Null));
            Assert.That(results[0].DynamicVariableUpdates![0].NewValue!.Value.GetString(), Is.EqualTo("shipped"));
            Assert.That(results[0].DynamicVariableUpdates![0].UpdatedAt, Is.EqualTo(1764000006.5));
            Assert.That(results[0].DynamicVariableUpdates![0].ToolRequestId, Is.EqualTo("req_tool_1"));
            Assert.That(results[1].Type, Is.EqualTo(ToolType.System));
            Assert.That(results[1].Result!.Value.GetProperty("result_type").GetString(), Is.EqualTo("end_call_success"));
            Assert.That(results[2].Type, Is.EqualTo(ToolType.ApiIntegrationWebhook));
            Assert.That(results[2].IntegrationId, Is.EqualTo("int_1"));
            Assert.That(results[2].CredentialId, Is.EqualTo("cred_1"));
            Assert.That(results[2].IntegrationConnectionId, Is.EqualTo("conn_1"));
            Assert.That(results[3].Type!.Value, Is.EqualTo("quantum_tool"));
            Assert.That(results[3].IsError, Is.True);
            Assert.That(results[3].ToolHasBeenCalled, Is.False);
            Assert.That(results[3].ErrorType, Is.EqualTo("unsupported"));
            Assert.That(results[3].RawErrorMessage, Is.EqualTo("nope"));
            Assert.That(results[4].Type, Is.Null);
        });

        var m = c.Metadata!;
        Assert.Multiple(() =>
        {
            Assert.That(m.StartTimeUnixSecs, Is.EqualTo(1764000000));
            Assert.That(m.AcceptedTimeUnixSecs, Is.EqualTo(1764000002));
            Assert.That(m.CallDurationSecs, Is.EqualTo(95));
            Assert.That(m.Cost, Is.EqualTo(296));
            Assert.That(m.CostFiat, Is.EqualTo(0.12));
            Assert.That(m.TerminationReason, Is.EqualTo("end_call tool"));
            Assert.That(m.Error, Is.Null);
            Assert.That(m.MainLanguage, Is.EqualTo("en"));
            Assert.That(m.Timezone, Is.EqualTo("Europe/Lisbon"));
            Assert.That(m.InitiatorId, Is.EqualTo("user_9"));
            Assert.That(m.ConversationInitiationSource, Is.EqualTo(ConversationInitiationSource.Twilio));
            Assert.That(m.ConversationInitiationSourceVersion, Is.EqualTo("1.2.3"));
            Assert.That(m.TextOnly, Is.False);
            Assert.That(m.Warnings, Is.EqualTo(new[] { "low_audio" }));
            Assert.That(m.AuthorizationMethod, Is.EqualTo("authorization_header"));
            Assert.That(m.Feedback!.Type, Is.EqualTo("thumbs"));
            Assert.That(m.Feedback.OverallScore, Is.EqualTo(ConversationFeedbackScore.Like));
            Assert.That(m.Feedback.Likes, Is.EqualTo(1));
            Assert.That(m.Feedback.Dislikes, Is.Zero);
            Assert.That(m.PhoneCall!.Type, Is.EqualTo(PhoneCallType.Twilio));
            Assert.That(m.PhoneCall.Direction, Is.EqualTo(TelephonyDirection.Outbound));
            Assert.That(m.PhoneCall.PhoneNumberId, Is.EqualTo("phnum_twilio_1"));
            Assert.That(m.PhoneCall.AgentNumber, Is.EqualTo("+14155550100"));
            Assert.That(m.PhoneCall.ExternalNumber, Is.EqualTo("+447700900123"));
            Assert.That(m.PhoneCall.StreamSid, Is.EqualTo("MZ123"));
            Assert.That(m.PhoneCall.CallSid, Is.EqualTo("CA123"));
            Assert.That(m.BatchCall!.BatchCallId, Is.EqualTo("batch_1"));
            Assert.That(m.BatchCall.BatchCallRecipientId, Is.EqualTo("rcpt_1"));
            Assert.That(m.DeletionSettings!.DeleteAudio, Is.False);
            Assert.That(m.DeletionSettings.DeletionTimeUnixSecs, Is.Null);
        });

        // metadata.charging as elevenlabs-python 2.59 models it (types/conversation_charging_common_model.py and the types it names).
        var charging = m.Charging!;
        Assert.Multiple(() =>
        {
            Assert.That(charging.DevDiscount, Is.False);
            Assert.That(charging.IsBurst, Is.False);
            Assert.That(charging.Tier, Is.EqualTo("pro"));
            Assert.That(charging.LlmPrice, Is.EqualTo(0.0042));
            Assert.That(charging.LlmCharge, Is.EqualTo(12));
            Assert.That(charging.CallCharge, Is.EqualTo(284));
            Assert.That(charging.PlatformCharge, Is.EqualTo(284));
            Assert.That(charging.PlatformPrice, Is.EqualTo(0.1158));
            Assert.That(charging.LlmPrice + charging.PlatformPrice, Is.EqualTo(m.CostFiat).Within(1e-9), "cost_fiat is the LLM price plus the platform price");
            Assert.That(charging.FreeMinutesConsumed, Is.Zero);
            Assert.That(charging.FreeLlmDollarsConsumed, Is.Zero);

            var kept = charging.LlmUsage!.IrreversibleGeneration!.ModelUsage!["gpt-4o-mini"];
            Assert.That((kept.Input!.Tokens, kept.Input.Price), Is.EqualTo((5120L, 0.000768)));
            Assert.That(kept.InputCacheRead!.Tokens, Is.EqualTo(2048));
            Assert.That(kept.InputCacheWrite!.Price, Is.Zero);
            Assert.That(kept.OutputTotal!.Tokens, Is.EqualTo(410));
            var started = charging.LlmUsage.InitiatedGeneration!.ModelUsage!["gpt-4o-mini"];
            Assert.That((started.Input!.Tokens, started.InputCacheRead), Is.EqualTo((6000L, (LlmTokenUsage?)null)));

            var categories = charging.PlatformUsage!.CategoryUsage!;
            Assert.That(categories.Keys, Is.EquivalentTo(new[] { "voice", "silence", "hologram" }), "unknown categories are kept");
            Assert.That((categories["voice"].Credits, categories["voice"].Price, categories["voice"].Quantity), Is.EqualTo((250L, 0.1, 1.58)));
            Assert.That(categories.Values.Sum(c => c.Credits), Is.EqualTo(charging.PlatformCharge));
            Assert.That(categories["hologram"].AdditionalProperties!["unit"].GetString(), Is.EqualTo("beam"));

            Assert.That(charging.TtsUsage!.PrimaryTtsModel, Is.EqualTo("eleven_flash_v2_5"));
            Assert.That(charging.TtsUsage.TotalAudioOutputSeconds, Is.EqualTo(41.5));
            Assert.That(charging.TtsUsage.TotalCharacters, Is.EqualTo(612));
            Assert.That(charging.TtsUsage.PerVoiceUsage!.Single(), Is.EqualTo(new TtsVoiceUsage { VoiceId = "voice_1", AudioOutputSeconds = 41.5 }));
            Assert.That(charging.AsrUsage!.AsrModel, Is.EqualTo("scribe_realtime"));
            Assert.That(charging.AsrUsage.TotalTranscriptionCalls, Is.EqualTo(9));
            Assert.That(charging.AsrUsage.TotalAudioInputSeconds, Is.EqualTo(38.2));
            Assert.That(charging.AdditionalProperties!["carbon_offset"].GetProperty("grams").GetDouble(), Is.EqualTo(1.2));
        });

        var a = c.Analysis!;
        Assert.Multiple(() =>
        {
            Assert.That(a.CallSuccessful, Is.EqualTo(EvaluationResult.Success));
            Assert.That(a.TranscriptSummary, Does.Contain("shipped"));
            Assert.That(a.CallSuccessScore, Is.EqualTo(0.9));
            Assert.That(a.CallSummaryTitle, Is.EqualTo("Order status"));
            Assert.That(a.EvaluationCriteriaResults!["solved"].CriteriaId, Is.EqualTo("solved"));
            Assert.That(a.EvaluationCriteriaResults["solved"].Rationale, Is.EqualTo("Answered."));
            Assert.That(a.EvaluationCriteriaResults["solved"].ScoringMode, Is.EqualTo("binary"));
            Assert.That(a.DataCollectionResults!["order_id"].Value!.Value.GetString(), Is.EqualTo("A-1"));
            Assert.That(a.DataCollectionResults["order_id"].JsonSchema!.Value.GetProperty("type").GetString(), Is.EqualTo("string"));
            Assert.That(a.EvaluationCriteriaResultsList, Has.Count.EqualTo(1));
            Assert.That(a.DataCollectionResultsList, Has.Count.EqualTo(1));
        });

        var data = c.ConversationInitiationClientData!;
        Assert.Multiple(() =>
        {
            Assert.That(data.UserId, Is.EqualTo("cust-42"));
            Assert.That(data.SourceInfo!.Source, Is.EqualTo(ConversationInitiationSource.Twilio));
            Assert.That(data.ConversationConfigOverride!.Agent!.Language, Is.EqualTo("en"));
            Assert.That(data.CustomLlmExtraBody, Is.Empty);
            Assert.That(data.DynamicVariables!["customer_name"]!.GetValue<string>(), Is.EqualTo("Ana"));
            Assert.That(data.DynamicVariables["balance"]!.GetValue<double>(), Is.EqualTo(12.5));
            Assert.That(data.DynamicVariables["visits"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(data.DynamicVariables["vip"]!.GetValue<bool>(), Is.True);
            Assert.That(data.DynamicVariables["tags"]!.AsArray(), Has.Count.EqualTo(1));
        });
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    private const string MinimalConversation =
        """{"agent_id":"agent_1","conversation_id":"conv_1","status":"done","transcript":[],"metadata":{"start_time_unix_secs":1,"call_duration_secs":1},"has_audio":false,"has_user_audio":false,"has_response_audio":false}""";

    private static IEnumerable<TestCaseData> ChargingShapes()
    {
        yield return new TestCaseData("""{"start_time_unix_secs":1,"call_duration_secs":1}""", null, null).SetName("Charging_Absent_IsNull");
        yield return new TestCaseData("""{"start_time_unix_secs":1,"call_duration_secs":1,"charging":null}""", null, null).SetName("Charging_Null_IsNull");
        yield return new TestCaseData("""{"start_time_unix_secs":1,"call_duration_secs":1,"charging":{}}""", null, null).SetName("Charging_Empty_HasNoValues");
        yield return new TestCaseData(
            """{"start_time_unix_secs":1,"call_duration_secs":1,"charging":{"llm_charge":3,"call_charge":40,"tier":"free"}}""", null, null)
            .SetName("Charging_OlderShapeWithoutPlatformFields_Parses");
        yield return new TestCaseData(
            """{"start_time_unix_secs":1,"call_duration_secs":1,"cost_fiat":0.07,"charging":{"platform_charge":"70","platform_price":"0.07","platform_usage":{"category_usage":{"voice":{"credits":70}}},"new_block":{"a":1}}}""",
            70L, 0.07).SetName("Charging_PlatformFieldsAsStringsAndUnknownBlock_Parse");
    }

    [TestCaseSource(nameof(ChargingShapes))]
    public async Task GetAsync_ChargingShape_ParsesTolerantly(string metadata, long? platformCharge, double? platformPrice)
    {
        var json = MinimalConversation.Replace("""{"start_time_unix_secs":1,"call_duration_secs":1}""", metadata, StringComparison.Ordinal);
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1"));
        mocked.RespondJson(json);

        var c = await Fixture.Client.Conversations.GetAsync("conv_1");

        var hasCharging = metadata.Contains("\"charging\":{", StringComparison.Ordinal);
        Assert.That(c.Metadata!.Charging is not null, Is.EqualTo(hasCharging));
        Assert.That(c.Metadata.Charging?.PlatformCharge, Is.EqualTo(platformCharge));
        Assert.That(c.Metadata.Charging?.PlatformPrice, Is.EqualTo(platformPrice));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void ConvAiJson_Charging_RoundTripsWithSnakeCaseNamesAndUnknownFields()
    {
        const string json = """{"tier":"pro","platform_charge":284,"platform_usage":{"category_usage":{"voice":{"credits":250,"price":0.1}}},"platform_price":0.1158,"future":[1]}""";
        var typeInfo = ConvAiJson.Options.GetTypeInfo(typeof(ConversationCharging));

        var charging = (ConversationCharging)JsonSerializer.Deserialize(json, typeInfo)!;
        var written = JsonSerializer.Serialize(charging, typeInfo);

        Assert.That(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(written), System.Text.Json.Nodes.JsonNode.Parse(json)), Is.True, written);
    }

    private static IEnumerable<TestCaseData> InitiationSources()
    {
        yield return new TestCaseData("salesforce_integration", ConversationInitiationSource.SalesforceIntegration);
        yield return new TestCaseData("subagent_tool", ConversationInitiationSource.SubagentTool);
        yield return new TestCaseData("twilio", ConversationInitiationSource.Twilio);
        yield return new TestCaseData("carrier_pigeon", ConversationInitiationSource.FromString("carrier_pigeon"));
    }

    [TestCaseSource(nameof(InitiationSources))]
    public async Task GetAsync_InitiationSource_ParsesInMetadataAndSourceInfo(string wire, ConversationInitiationSource expected)
    {
        var json = $$$"""
            {"agent_id":"agent_1","conversation_id":"conv_1","status":"done","transcript":[],
             "metadata":{"start_time_unix_secs":1,"call_duration_secs":1,"conversation_initiation_source":"{{{wire}}}"},
             "conversation_initiation_client_data":{"source_info":{"source":"{{{wire}}}","version":null}},
             "has_audio":false,"has_user_audio":false,"has_response_audio":false}
            """;
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1")).RespondJson(json);

        var c = await Fixture.Client.Conversations.GetAsync("conv_1");

        Assert.That(c.Metadata!.ConversationInitiationSource, Is.EqualTo(expected));
        Assert.That(c.ConversationInitiationClientData!.SourceInfo!.Source, Is.EqualTo(expected));
        Assert.That(c.Metadata.ConversationInitiationSource!.Value, Is.EqualTo(wire));
    }

    [TestCaseSource(nameof(InitiationSources))]
    public async Task ListAsync_InitiationSourceFilter_SendsWireValue(string wire, ConversationInitiationSource source)
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(ListPath)).WithExactQueryString("conversation_initiation_source=" + wire);
        mocked.RespondJson($$"""
            {"conversations":[{"agent_id":"a","conversation_id":"c","start_time_unix_secs":1,"call_duration_secs":1,"message_count":1,"status":"done","call_successful":"success","conversation_initiation_source":"{{wire}}"}],"has_more":false}
            """);

        var page = await Fixture.Client.Conversations.ListAsync(new ConversationListOptions { ConversationInitiationSource = source });

        Assert.That(page.Conversations.Single().ConversationInitiationSource, Is.EqualTo(source));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> ResolveCases()
    {
        // elevenlabs-python 2.59, conversational_ai/conversations/raw_client.py `resolve`: GET v1/convai/conversations/resolve
        // with the query parameters agent_id and reference (both required), answering GetConversationResponseModel.
        yield return new TestCaseData("agent_1", "https://acme.slack.com/archives/C0123/p1764000000000100", "agent_1")
            .SetName("ResolveAsync_SlackMessageUrl_SendsAgentAndEscapedReference");
        yield return new TestCaseData("seng_42", "https://acme.zendesk.com/agent/tickets/981?x=1&y=a b", "seng_42")
            .SetName("ResolveAsync_ZendeskTicketUrlWithQuery_EscapesEveryReservedCharacter");
        yield return new TestCaseData(null, "https://acme.zendesk.com/agent/tickets/981", ClientFixture.AgentId)
            .SetName("ResolveAsync_NoAgent_UsesDefaultAgentId");
        yield return new TestCaseData(" ", "ref-1", ClientFixture.AgentId)
            .SetName("ResolveAsync_BlankAgent_UsesDefaultAgentId");
    }

    [TestCaseSource(nameof(ResolveCases))]
    public async Task ResolveAsync_SendsAgentAndReference_ReturnsConversation(string? agentId, string reference, string expectedAgent)
    {
        using var fixture = new ClientFixture(ClientFixture.SetCallDefaults);
        var captured = new CapturedRequest();
        var mocked = fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/resolve"))
            .WithExactQueryString(new Dictionary<string, string> { ["agent_id"] = expectedAgent, ["reference"] = reference })
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondResource("Conversations/get.json");

        var c = await fixture.Client.Conversations.ResolveAsync(agentId, reference);

        Assert.That(captured.Request!.RequestUri!.AbsolutePath, Is.EqualTo("/v1/convai/conversations/resolve"));
        Assert.That(captured.Request.RequestUri.Query, Is.EqualTo($"?agent_id={Uri.EscapeDataString(expectedAgent)}&reference={Uri.EscapeDataString(reference)}"));
        Assert.That(captured.Body, Is.Null);
        Assert.That((c.ConversationId, c.Status, c.Metadata!.Charging!.PlatformCharge), Is.EqualTo(("conv_1", ConversationStatus.Done, (long?)284)));
        Assert.That(fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void ResolveAsync_NoAgentAndNoDefault_ThrowsBeforeSending()
    {
        var any = Fixture.Mock.When("*");
        any.RespondJson(MinimalConversation);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.Conversations.ResolveAsync(null, "https://acme.slack.com/archives/C1/p1"));

        Assert.That(ex!.ParamName, Is.EqualTo("agentId"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" ")]
    public void ResolveAsync_EmptyReference_ThrowsBeforeSending(string? reference)
    {
        var any = Fixture.Mock.When("*");
        any.RespondJson(MinimalConversation);

        var ex = Assert.CatchAsync<ArgumentException>(() => Fixture.Client.Conversations.ResolveAsync("agent_1", reference!));

        Assert.That(ex!.ParamName, Is.EqualTo("reference"));
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }

    [Test]
    public void ResolveAsync_404_ThrowsApiExceptionAfterOneRequest()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/resolve"));
        mocked.Respond(HttpStatusCode.NotFound, "application/json", """{"detail":{"status":"conversation_not_found","message":"Conversation not found"}}""");

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.ResolveAsync("agent_1", "https://acme.slack.com/archives/C1/p1"));

        Assert.That((ex!.StatusCode, ex.ErrorCode), Is.EqualTo((HttpStatusCode.NotFound, "conversation_not_found")));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_SipTrunkFailedConversation_ParsesSipCallAndError()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_sip")).RespondResource("Conversations/get-sip.json");

        var c = await Fixture.Client.Conversations.GetAsync("conv_sip");

        Assert.Multiple(() =>
        {
            Assert.That(c.Status, Is.EqualTo(ConversationStatus.Failed));
            Assert.That(c.Analysis, Is.Null);
            Assert.That(c.Transcript, Is.Empty);
            Assert.That(c.Metadata!.CostFiat, Is.Null);
            Assert.That(c.Metadata.Error!.Code, Is.EqualTo(1011));
            Assert.That(c.Metadata.Error.Reason, Does.Contain("dynamic variables"));
            Assert.That(c.Metadata.PhoneCall!.Type, Is.EqualTo(PhoneCallType.SipTrunking));
            Assert.That(c.Metadata.PhoneCall.CallId, Is.EqualTo("call-xyz"));
            Assert.That(c.Metadata.PhoneCall.SipHeaderDynamicVariables!["X-Account"], Is.EqualTo("77"));
            Assert.That(c.Metadata.PhoneCall.Direction, Is.EqualTo(TelephonyDirection.Inbound));
        });
    }

    [Test]
    public void ConvAiJson_WebhookDocsExample_ParsesNullArraysAndTopLevelMetrics()
    {
        var json = Resources.Read("Conversations/webhook-docs-example-data.json");

        var c = (Conversation)JsonSerializer.Deserialize(json, ConvAiJson.Options.GetTypeInfo(typeof(Conversation)))!;

        Assert.Multiple(() =>
        {
            Assert.That(c.ConversationId, Is.EqualTo("abc"));
            Assert.That(c.UserId, Is.EqualTo("user123"));
            Assert.That(c.Transcript![0].ToolCalls, Is.Empty);
            Assert.That(c.Transcript[0].ToolResults, Is.Empty);
            Assert.That(c.Transcript[0].ConversationTurnMetrics!.Value.GetProperty("convai_llm_service_ttfb").GetProperty("elapsed_time").GetDouble(), Is.EqualTo(0.37));
            Assert.That(c.Metadata!.Feedback!.OverallScore, Is.Null);
            Assert.That(c.Metadata.TerminationReason, Is.Empty);
            Assert.That(c.Analysis!.EvaluationCriteriaResults, Is.Empty);
            Assert.That(c.ConversationInitiationClientData!.DynamicVariables!["user_name"]!.GetValue<string>(), Is.EqualTo("angelo"));
        });
    }

    [TestCase(ConversationFormat.Json, "format=json")]
    [TestCase(ConversationFormat.OpenTelemetry, "format=opentelemetry")]
    [TestCase(null, "")]
    public async Task GetAsync_Format_SendsWireName(ConversationFormat? format, string expected)
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1")).WithExactQueryString(expected);
        mocked.RespondJson("""{"agent_id":"a","conversation_id":"conv_1","status":"done","transcript":[],"metadata":{"start_time_unix_secs":1,"call_duration_secs":1},"has_audio":false,"has_user_audio":false,"has_response_audio":false}""");

        await Fixture.Client.Conversations.GetAsync("conv_1", format);

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void GetAsync_UndefinedFormat_ThrowsBeforeSending()
    {
        var mocked = Fixture.Mock.When(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1"));

        Assert.That(async () => await Fixture.Client.Conversations.GetAsync("conv_1", (ConversationFormat)9), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.Zero);
    }

    [Test]
    public async Task GetAsync_OpenTelemetryFormat_SendsFormatQuery()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1")).WithExactQueryString("format=opentelemetry");
        mocked.RespondJson("""{"agent_id":"a","conversation_id":"conv_1","status":"done","transcript":[],"metadata":{"start_time_unix_secs":1,"call_duration_secs":1},"has_audio":false,"has_user_audio":false,"has_response_audio":false,"otlp_traces":{"resourceSpans":[]}}""");

        var c = await Fixture.Client.Conversations.GetAsync("conv_1", ConversationFormat.OpenTelemetry);

        Assert.That(c.OtlpTraces!.Value.GetProperty("resourceSpans").GetArrayLength(), Is.Zero);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task GetAudioAsync_BodyStillArriving_ReturnsStreamBeforeBodyCompletes()
    {
        var pipe = new Pipe();
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1/audio"))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey);
        mocked.Respond(_ =>
        {
            var content = new StreamContent(pipe.Reader.AsStream());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("audio/mpeg");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        await pipe.Writer.WriteAsync(new byte[] { 0x49, 0x44, 0x33 });

        // The body is not complete: a buffering client would wait here forever (the WaitAsync only stops a broken test from hanging).
        await using var audio = await Fixture.Client.Conversations.GetAudioAsync("conv_1").WaitAsync(TimeSpan.FromSeconds(30));
        var first = new byte[3];
        await audio.ReadExactlyAsync(first);
        await pipe.Writer.WriteAsync(new byte[] { 0x04, 0x00 });
        await pipe.Writer.CompleteAsync();
        using var rest = new MemoryStream();
        await audio.CopyToAsync(rest);

        Assert.That(first, Is.EqualTo(new byte[] { 0x49, 0x44, 0x33 }));
        Assert.That(rest.ToArray(), Is.EqualTo(new byte[] { 0x04, 0x00 }));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public void GetAudioAsync_404_ThrowsApiException()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1/audio"))
            .Respond(HttpStatusCode.NotFound, "application/json", """{"detail":{"status":"audio_not_found","message":"No audio"}}""");

        var ex = Assert.ThrowsAsync<ConvAiApiException>(() => Fixture.Client.Conversations.GetAudioAsync("conv_1"));

        Assert.That(ex!.ErrorCode, Is.EqualTo("audio_not_found"));
    }

    [Test]
    public async Task DeleteAsync_Answers200Json_Completes()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Delete, ClientFixture.Url("/v1/convai/conversations/conv_1"))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey);
        mocked.RespondJson("null");

        await Fixture.Client.Conversations.DeleteAsync("conv_1");

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> FeedbackCases()
    {
        yield return new TestCaseData(ConversationFeedbackScore.Like, """{"feedback":"like"}""").SetName("Like");
        yield return new TestCaseData(ConversationFeedbackScore.Dislike, """{"feedback":"dislike"}""").SetName("Dislike");
        yield return new TestCaseData(null, """{"feedback":null}""").SetName("Clear");
    }

    [TestCaseSource(nameof(FeedbackCases))]
    public async Task SendFeedbackAsync_Score_PostsFeedbackBody(ConversationFeedbackScore? score, string expectedBody)
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/conversations/conv_1/feedback")).Capturing(captured);
        mocked.RespondJson("{}");

        await Fixture.Client.Conversations.SendFeedbackAsync("conv_1", score);

        captured.AssertJsonBody(expectedBody);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Methods_EmptyConversationId_ThrowArgumentException(string id)
    {
        var any = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);
        var client = Fixture.Client.Conversations;

        Assert.Multiple(() =>
        {
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync(id))!.ParamName, Is.EqualTo("conversationId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.GetAudioAsync(id))!.ParamName, Is.EqualTo("conversationId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync(id))!.ParamName, Is.EqualTo("conversationId"));
            Assert.That(Assert.ThrowsAsync<ArgumentException>(() => client.SendFeedbackAsync(id, ConversationFeedbackScore.Like))!.ParamName, Is.EqualTo("conversationId"));
        });
        Assert.That(Fixture.Mock.GetMatchCount(any), Is.Zero);
    }
}
