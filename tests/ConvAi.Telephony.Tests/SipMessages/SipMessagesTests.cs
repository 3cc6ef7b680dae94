using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.SipMessages;

/// <summary>
/// SIP diagnostics. Wire shape pinned from elevenlabs-js 2.56.0 (src/serialization/types/GetSipLogMessagesResponse.ts,
/// src/serialization/types/SipLogMessage.ts, .../conversations/client/requests/ConversationsGetSipMessagesRequest.ts,
/// .../phoneNumbers/client/requests/PhoneNumbersGetSipMessagesRequest.ts) and elevenlabs-python 2.59.0
/// (src/elevenlabs/types/sip_log_message.py, src/elevenlabs/conversational_ai/conversations/raw_client.py); they agree.
/// </summary>
public class SipMessagesTests : MockedClientTests
{
    private const string Invite = "INVITE sip:+14155550100@trunk.example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\n\r\n";

    private static IEnumerable<TestCaseData> Owners()
    {
        yield return new TestCaseData("/v1/convai/conversations/conv_1/sip-messages",
            (Func<IConvAiTelephonyClient, SipMessageListOptions?, Task<SipMessagePage>>)((c, o) => c.Conversations.ListSipMessagesAsync("conv_1", o)),
            (Func<IConvAiTelephonyClient, IAsyncEnumerable<SipMessage>>)(c => c.Conversations.ListAllSipMessagesAsync("conv_1", new SipMessageListOptions { PageSize = 2 })))
            .SetName("Conversation");
        yield return new TestCaseData("/v1/convai/phone-numbers/phnum_1/sip-messages",
            (Func<IConvAiTelephonyClient, SipMessageListOptions?, Task<SipMessagePage>>)((c, o) => c.PhoneNumbers.ListSipMessagesAsync("phnum_1", o)),
            (Func<IConvAiTelephonyClient, IAsyncEnumerable<SipMessage>>)(c => c.PhoneNumbers.ListAllSipMessagesAsync("phnum_1", new SipMessageListOptions { PageSize = 2 })))
            .SetName("PhoneNumber");
    }

    [TestCaseSource(nameof(Owners))]
    public async Task ListSipMessagesAsync_SendsQueryAndParsesPage(
        string path, Func<IConvAiTelephonyClient, SipMessageListOptions?, Task<SipMessagePage>> list, Func<IConvAiTelephonyClient, IAsyncEnumerable<SipMessage>> listAll)
    {
        var captured = new CapturedRequest();
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(path)).Capturing(captured).RespondJson(Page(["m1"], "c2", true));

        var page = await list(Fixture.Client, new SipMessageListOptions { PageSize = 50, Cursor = "c1" });

        Assert.Multiple(() =>
        {
            Assert.That(captured.Request!.RequestUri!.Query, Is.EqualTo("?page_size=50&cursor=c1"));
            Assert.That(page.HasMore, Is.True);
            Assert.That(page.NextCursor, Is.EqualTo("c2"));
            var message = page.SipMessages.Single();
            Assert.That(message.CallId, Is.EqualTo("m1"));
            Assert.That(message.Direction, Is.EqualTo(SipMessageDirection.Out));
            Assert.That(message.PhoneNumbers, Is.EqualTo(new[] { "+14155550100" }));
            Assert.That(message.Transport, Is.EqualTo("udp"));
            Assert.That(message.RawMessage, Is.EqualTo(Invite));
            Assert.That(message.CreatedAtUnixMicro, Is.EqualTo(1_795_608_000_000_001));
            Assert.That(message.AdditionalProperties!.ContainsKey("region"), Is.True);
        });
    }

    [TestCaseSource(nameof(Owners))]
    public async Task ListAllSipMessagesAsync_FollowsNextCursor(
        string path, Func<IConvAiTelephonyClient, SipMessageListOptions?, Task<SipMessagePage>> list, Func<IConvAiTelephonyClient, IAsyncEnumerable<SipMessage>> listAll)
    {
        var first = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(path)).WithExactQueryString("page_size=2");
        first.RespondJson(Page(["a", "b"], "next", true));
        var second = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url(path)).WithExactQueryString("page_size=2&cursor=next");
        second.RespondJson(Page(["c"], null, false));

        var ids = new List<string?>();
        await foreach (var message in listAll(Fixture.Client))
        {
            ids.Add(message.CallId);
        }

        Assert.That(ids, Is.EqualTo(new[] { "a", "b", "c" }));
        Fixture.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public async Task GetSipFailureAsync_FindsBusyHereAfterAuthChallenge()
    {
        Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_9/sip-messages")).RespondJson($$"""
            {"sip_messages":[
              {{Message("c", "out", Invite, 1)}},
              {{Message("c", "in", "SIP/2.0 407 Proxy Authentication Required\r\n\r\n", 2)}},
              {{Message("c", "in", "SIP/2.0 100 Trying\r\n\r\n", 3)}},
              {{Message("c", "in", "SIP/2.0 486 Busy Here\r\nVia: x\r\n\r\n", 4)}},
              {{Message("c", "out", "ACK sip:x SIP/2.0\r\n\r\n", 5)}}],
             "has_more":false}
            """);

        var failure = await Fixture.Client.Conversations.GetSipFailureAsync("conv_9");

        Assert.That(failure, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(failure!.StatusCode, Is.EqualTo(486));
            Assert.That(failure.ReasonPhrase, Is.EqualTo("Busy Here"));
            Assert.That(failure.ToString(), Is.EqualTo("486 Busy Here"));
            Assert.That(failure.Message.CreatedAtUnixMicro, Is.EqualTo(4));
        });
    }

    private static IEnumerable<TestCaseData> FailureCases()
    {
        yield return new TestCaseData(new[] { ("SIP/2.0 200 OK\r\n", "") }, null).SetName("Find_Answered_Null");
        yield return new TestCaseData(new[] { ("SIP/2.0 401 Unauthorized\r\n", ""), ("SIP/2.0 200 OK\r\n", "") }, null).SetName("Find_ChallengeOnly_Null");
        yield return new TestCaseData(new[] { ("SIP/2.0 180 Ringing\r\n", ""), ("SIP/2.0 480 Temporarily Unavailable\r\n", "") }, "480 Temporarily Unavailable").SetName("Find_NoAnswer");
        yield return new TestCaseData(new[] { ("SIP/2.0 603 Decline", "") }, "603 Decline").SetName("Find_NoLineEnd");
        yield return new TestCaseData(new[] { ("SIP/2.0 403\r\n", "") }, "403").SetName("Find_NoReason");
        yield return new TestCaseData(new[] { (Invite, "connection refused by trunk") }, "connection refused by trunk").SetName("Find_RecordedErrorOnly");
        yield return new TestCaseData(new[] { (Invite, "timeout"), ("SIP/2.0 503 Service Unavailable\r\n", "") }, "503 Service Unavailable").SetName("Find_ResponseBeatsRecordedError");
        yield return new TestCaseData(new[] { ("SIP/2.0 4x6 Odd\r\n", ""), ("garbage", "") }, null).SetName("Find_Malformed_Null");
    }

    [TestCaseSource(nameof(FailureCases))]
    public void SipFailureFind_Table((string Raw, string Error)[] messages, string? expected)
    {
        var list = messages.Select((m, i) => new SipMessage { RawMessage = m.Raw, ErrorMessage = m.Error, CreatedAtUnixMicro = i }).ToList();

        Assert.That(SipFailure.Find(list)?.ToString(), Is.EqualTo(expected));
    }

    private static string Page(string[] callIds, string? next, bool hasMore)
        => $$"""{"sip_messages":[{{string.Join(",", callIds.Select((id, i) => Message(id, "out", Invite, 1_795_608_000_000_001 + i)))}}],"next_cursor":{{(next is null ? "null" : $"\"{next}\"")}},"has_more":{{(hasMore ? "true" : "false")}}}""";

    private static string Message(string callId, string direction, string raw, long micros)
        => $$"""{"call_id":"{{callId}}","phone_numbers":["+14155550100"],"local_address":"10.0.0.1:5060","remote_address":"203.0.113.5:5060","transport":"udp","raw_message":{{System.Text.Json.Nodes.JsonValue.Create(raw).ToJsonString()}},"error_message":"","direction":"{{direction}}","created_at_unix_micro":{{micros}},"region":"us"}""";
}
