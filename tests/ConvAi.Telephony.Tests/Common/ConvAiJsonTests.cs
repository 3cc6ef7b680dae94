using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Tests.Common;

public class ConvAiJsonTests
{
    [Test]
    public void ExtensibleEnum_UnknownValue_RoundTrips()
    {
        var status = Deserialize<ConversationStatus>("\"on-hold\"");

        Assert.That(status.Value, Is.EqualTo("on-hold"));
        Assert.That(status, Is.Not.EqualTo(ConversationStatus.InProgress));
        Assert.That(Serialize(status), Is.EqualTo("\"on-hold\""));
    }

    [Test]
    public void ExtensibleEnum_KnownValue_EqualsStaticInstance()
    {
        Assert.That(Deserialize<BatchCallStatus>("\"in_progress\""), Is.EqualTo(BatchCallStatus.InProgress));
        Assert.That(ConversationStatus.InProgress.Value, Is.EqualTo("in-progress"));
        Assert.That(BatchCallStatus.InProgress.Value, Is.EqualTo("in_progress"));
        Assert.That(new PhoneNumberProvider("sip_trunk") == PhoneNumberProvider.SipTrunk, Is.True);
        Assert.That(PhoneNumberProvider.Twilio != PhoneNumberProvider.Exotel, Is.True);
        Assert.That(PhoneNumberProvider.SipTrunk.ToString(), Is.EqualTo("sip_trunk"));
    }

    // Non-nullable extensible-enum properties hold the type's Empty instance (never null) when the server omits the
    // field or sends null; nullable ones stay null. One row per non-nullable enum property of a wire model.
    [TestCase(typeof(Conversation), "status", """{"conversation_id":"c"}""")]
    [TestCase(typeof(Conversation), "status", """{"conversation_id":"c","status":null}""")]
    [TestCase(typeof(ConversationSummary), "status", """{"conversation_id":"c"}""")]
    [TestCase(typeof(ConversationAnalysis), "call_successful", """{"transcript_summary":"s","call_successful":null}""")]
    [TestCase(typeof(EvaluationCriteriaResult), "result", """{"criteria_id":"c"}""")]
    [TestCase(typeof(TranscriptEntry), "role", """{"message":"hi"}""")]
    [TestCase(typeof(TranscriptEntry), "role", """{"message":"hi","role":null}""")]
    [TestCase(typeof(BatchCall), "status", """{"id":"b"}""")]
    [TestCase(typeof(BatchCallRecipientResult), "status", """{"id":"r"}""")]
    [TestCase(typeof(TranscriptFeedback), "score", """{"time_in_call_secs":1}""")]
    public void ExtensibleEnum_NonNullablePropertyOmittedOrNull_IsEmptyNotNull(Type model, string wireName, string json)
    {
        var info = ConvAiJson.Options.GetTypeInfo(model);
        var value = JsonSerializer.Deserialize(json, info)!;
        var property = info.Properties.Single(p => p.Name == wireName);

        var read = property.Get!(value);

        Assert.That(read, Is.Not.Null);
        Assert.That(read!.ToString(), Is.Empty);
        Assert.That(read, Is.SameAs(property.PropertyType.GetProperty("Empty")!.GetValue(null)));
    }

    [Test]
    public void ExtensibleEnum_NullablePropertyOmitted_IsNull()
    {
        var metadata = Deserialize<ConversationMetadata>("""{"start_time_unix_secs":1}""");

        Assert.That(metadata.ConversationInitiationSource, Is.Null);
        Assert.That(metadata.PhoneCall?.Direction, Is.Null);
    }

    [Test]
    public void ExtensibleEnum_NonStringToken_ThrowsJsonException()
        => Assert.Throws<JsonException>(() => Deserialize<ConversationStatus>("42"));

    [Test]
    public void ConversationInitiationClientData_AnyJsonDynamicVariable_RoundTrips()
    {
        const string json = """{"dynamic_variables":{"s":"x","n":1,"d":1.5,"b":false,"a":[1,"two",{"three":3}],"o":{"k":"v"},"z":null},"user_id":"u"}""";

        var data = Deserialize<ConversationInitiationClientData>(json);

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(Serialize(data)), JsonNode.Parse(json)), Is.True);
    }

    [Test]
    public void Request_UnsetProperties_AreOmitted()
    {
        var json = Serialize(new StartTwilioCallRequest { AgentId = "a", AgentPhoneNumberId = "p", ToNumber = "+14155550100" });

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse("""{"agent_id":"a","agent_phone_number_id":"p","to_number":"+14155550100"}""")), Is.True);
    }

    [Test]
    public void Model_UnknownFields_AreKeptOnRoundTrip()
    {
        const string json = """{"success":true,"message":"m","conversation_id":"c","callSid":"CA","future":{"x":[1]}}""";

        var result = Deserialize<TwilioCallResult>(json);

        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(Serialize(result)), JsonNode.Parse(json)), Is.True);
    }

    [Test]
    public void Options_AreReadOnlyAndSourceGenerated()
    {
        Assert.That(ConvAiJson.Options.IsReadOnly, Is.True);
        Assert.That(ConvAiJson.Options.GetTypeInfo(typeof(Conversation)), Is.Not.Null);
        Assert.That(ConvAiJson.TypeInfoResolver.GetTypeInfo(typeof(PhoneNumber), ConvAiJson.Options), Is.Not.Null);
    }

    private static T Deserialize<T>(string json) => (T)JsonSerializer.Deserialize(json, ConvAiJson.Options.GetTypeInfo(typeof(T)))!;

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, ConvAiJson.Options.GetTypeInfo(typeof(T)));
}
