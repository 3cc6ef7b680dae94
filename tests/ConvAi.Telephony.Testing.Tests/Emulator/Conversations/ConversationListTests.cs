using System.Net;

namespace ConvAi.Telephony.Testing.Tests;

public class ConversationListTests
{
    private const string Path = "/v1/convai/conversations";

    /// <summary>
    /// Five calls, one minute apart: c0 agent_a/u1 (done, success), c1 agent_a/u2 (done, failure),
    /// c2 agent_b/u1 (done, success, variable "Zebra"), c3 agent_b (busy: failed), c4 agent_a (started last: initiated).
    /// </summary>
    private static async Task<(EmulatorHarness Harness, string[] Ids)> SeedAsync()
    {
        var harness = await EmulatorHarness.StartAsync(o =>
        {
            o.UnsuccessfulNumbers.Add("+447700900002");
            o.BusyNumbers.Add("+447700900004");
        });
        var phone = await harness.ImportTwilioNumberAsync();
        var ids = new string[5];
        ids[0] = await harness.CallAsync(phone, "+447700900001", "agent_a", """{"user_id":"u1"}""");
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        ids[1] = await harness.CallAsync(phone, "+447700900002", "agent_a", """{"user_id":"u2"}""");
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        ids[2] = await harness.CallAsync(phone, "+447700900003", "agent_b", """{"user_id":"u1","dynamic_variables":{"animal":"Zebra"}}""");
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        ids[3] = await harness.CallAsync(phone, "+447700900004", "agent_b");
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        ids[4] = await harness.CallAsync(phone, "+447700900005", "agent_a");
        return (harness, ids);
    }

    private static long Minute(int n) => EmulatorHarness.Start.AddMinutes(n).ToUnixTimeSeconds();

    private static IEnumerable<TestCaseData> Filters()
    {
        yield return new TestCaseData("", new[] { 4, 3, 2, 1, 0 }).SetName("List_NoFilter_ReturnsAllNewestFirst");
        yield return new TestCaseData("sort_direction=asc", new[] { 0, 1, 2, 3, 4 }).SetName("List_SortAscending_ReturnsOldestFirst");
        yield return new TestCaseData("agent_id=agent_b", new[] { 3, 2 }).SetName("List_AgentId_ReturnsThatAgentsCalls");
        yield return new TestCaseData("user_id=u1", new[] { 2, 0 }).SetName("List_UserId_ReturnsThatUsersCalls");
        yield return new TestCaseData("call_successful=success", new[] { 2, 0 }).SetName("List_CallSuccessfulSuccess_ReturnsSuccessfulCalls");
        yield return new TestCaseData("call_successful=failure", new[] { 3, 1 }).SetName("List_CallSuccessfulFailure_ReturnsFailedAndUnsuccessfulCalls");
        yield return new TestCaseData("call_successful=unknown", new[] { 4 }).SetName("List_CallSuccessfulUnknown_ReturnsUnfinishedCalls");
        yield return new TestCaseData($"call_start_after_unix={Minute(1)}", new[] { 4, 3, 2 }).SetName("List_CallStartAfter_IsExclusive");
        yield return new TestCaseData($"call_start_before_unix={Minute(1)}", new[] { 0 }).SetName("List_CallStartBefore_IsExclusive");
        yield return new TestCaseData("call_duration_min_secs=1", new[] { 2, 1, 0 }).SetName("List_CallDurationMin_SkipsShortCalls");
        yield return new TestCaseData("call_duration_max_secs=0", new[] { 4, 3 }).SetName("List_CallDurationMax_SkipsLongCalls");
        yield return new TestCaseData("exclude_statuses=done&exclude_statuses=initiated", new[] { 3 }).SetName("List_ExcludeStatusesRepeated_ExcludesEach");
        yield return new TestCaseData("search=zebra", new[] { 2 }).SetName("List_Search_MatchesTranscriptText");
    }

    [TestCaseSource(nameof(Filters))]
    public async Task List_Filter_ReturnsMatchingConversationsInOrder(string query, int[] expected)
    {
        var (harness, ids) = await SeedAsync();
        await using var _ = harness;

        var response = await harness.GetAsync($"{Path}?{query}");

        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        var returned = response.Json["conversations"]!.AsArray().Select(c => c!["conversation_id"]!.GetValue<string>());
        Assert.That(returned, Is.EqualTo(expected.Select(i => ids[i])));
        Assert.That(response.Json["has_more"]!.GetValue<bool>(), Is.False);
        Assert.That(response.Json["next_cursor"], Is.Null);
    }

    [Test]
    public async Task List_Summary_HasRequiredFieldsAndWireStatuses()
    {
        var (harness, ids) = await SeedAsync();
        await using var _ = harness;

        var conversations = (await harness.GetAsync($"{Path}?summary_mode=include")).Json["conversations"]!.AsArray();

        var byId = conversations.ToDictionary(c => c!["conversation_id"]!.GetValue<string>(), c => c!);
        Assert.Multiple(() =>
        {
            Assert.That(byId[ids[0]]["status"]!.GetValue<string>(), Is.EqualTo("done"));
            Assert.That(byId[ids[0]]["message_count"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(byId[ids[0]]["transcript_summary"]!.GetValue<string>(), Is.Not.Empty);
            Assert.That(byId[ids[0]]["agent_id"]!.GetValue<string>(), Is.EqualTo("agent_a"));
            Assert.That(byId[ids[0]]["start_time_unix_secs"]!.GetValue<long>(), Is.EqualTo(Minute(0)));
            Assert.That(byId[ids[0]]["direction"]!.GetValue<string>(), Is.EqualTo("outbound"));
            Assert.That(byId[ids[3]]["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(byId[ids[4]]["status"]!.GetValue<string>(), Is.EqualTo("initiated"));
        });
        harness.Time.Advance(EmulatorHarness.Step);
        var later = (await harness.GetAsync($"{Path}?agent_id=agent_a&page_size=1")).Json["conversations"]![0]!;
        Assert.That(later["status"]!.GetValue<string>(), Is.EqualTo("in-progress"));
    }

    [TestCase("asc")]
    [TestCase("desc")]
    public async Task List_PageSizeTwo_CursorWalksEveryConversationOnce(string direction)
    {
        var (harness, ids) = await SeedAsync();
        await using var _ = harness;
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;

        do
        {
            var query = $"page_size=2&sort_direction={direction}" + (cursor is null ? string.Empty : $"&cursor={cursor}");
            var json = (await harness.GetAsync($"{Path}?{query}")).Json;
            seen.AddRange(json["conversations"]!.AsArray().Select(c => c!["conversation_id"]!.GetValue<string>()));
            cursor = json["next_cursor"]?.GetValue<string>();
            Assert.That(json["has_more"]!.GetValue<bool>(), Is.EqualTo(cursor is not null));
            pages++;
        }
        while (cursor is not null);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(direction == "asc" ? ids : Enumerable.Reverse(ids)));
    }

    [TestCase("page_size=0", "query.page_size", "greater_than_equal")]
    [TestCase("page_size=101", "query.page_size", "less_than_equal")]
    [TestCase("page_size=ten", "query.page_size", "int_parsing")]
    [TestCase("sort_direction=up", "query.sort_direction", "enum")]
    [TestCase("call_successful=yes", "query.call_successful", "enum")]
    [TestCase("exclude_statuses=in_progress", "query.exclude_statuses.0", "enum")]
    [TestCase("call_start_after_unix=yesterday", "query.call_start_after_unix", "int_parsing")]
    [TestCase("cursor=not-a-cursor", "query.cursor", "value_error")]
    public async Task List_InvalidQuery_Returns422(string query, string expectedLoc, string expectedType)
    {
        await using var harness = await EmulatorHarness.StartAsync();

        var response = await harness.GetAsync($"{Path}?{query}");

        Assert.That(response.SingleValidationError(), Is.EqualTo((expectedLoc, expectedType)));
    }
}
