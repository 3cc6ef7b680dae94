using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony.Tests.Common;

/// <summary>An application's own source-generated JSON context serializes models that contain our enum structs.</summary>
public partial class UserJsonContextTests
{
    [Test]
    public void UserContext_ModelWithOurEnums_RoundTripsKnownAndUnknownValues()
    {
        var log = new CallLog
        {
            Status = ConversationStatus.Done,
            Outcome = "partly",
            Directions = [TelephonyDirection.Inbound, "sideways"],
            ToolUses = new() { [ToolType.System] = 2, ["mcp_v2"] = 1 },
        };

        var json = JsonSerializer.Serialize(log, UserJsonContext.Default.CallLog);
        var back = JsonSerializer.Deserialize(json, UserJsonContext.Default.CallLog)!;

        Assert.That(json, Is.EqualTo("""{"status":"done","outcome":"partly","directions":["inbound","sideways"],"tool_uses":{"system":2,"mcp_v2":1}}"""));
        Assert.That(back.Status, Is.EqualTo(ConversationStatus.Done));
        Assert.That(back.Outcome, Is.EqualTo(new EvaluationResult("partly")));
        Assert.That(back.Directions, Is.EqualTo(new[] { TelephonyDirection.Inbound, new TelephonyDirection("sideways") }));
        Assert.That(back.ToolUses, Is.EqualTo(log.ToolUses));
    }

    [Test]
    public void UserContext_UnsetNullableEnum_IsOmitted()
        => Assert.That(JsonSerializer.Serialize(new CallLog { Status = ConversationStatus.Failed }, UserJsonContext.Default.CallLog),
            Is.EqualTo("""{"status":"failed"}"""));

    /// <summary>A model an application might log, with our enums as values, a nullable, a list and dictionary keys.</summary>
    public sealed class CallLog
    {
        public ConversationStatus Status { get; set; } = ConversationStatus.Empty;

        public EvaluationResult? Outcome { get; set; }

        public List<TelephonyDirection>? Directions { get; set; }

        public Dictionary<ToolType, int>? ToolUses { get; set; }
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(CallLog))]
    internal sealed partial class UserJsonContext : JsonSerializerContext;
}
