using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing;

/// <summary>The emulator's mutable state for one phone number. Guarded by the state lock.</summary>
internal sealed class PhoneNumberRecord
{
    public const string Twilio = "twilio";
    public const string SipTrunk = "sip_trunk";
    public const string Exotel = "exotel";

    public required string PhoneNumberId { get; init; }

    public required string Number { get; init; }

    public required string Provider { get; init; }

    public required string Label { get; set; }

    public string? AgentId { get; set; }

    public JsonObject? OutboundTrunk { get; set; }

    public JsonObject? InboundTrunk { get; set; }

    public string LivekitStack { get; set; } = "standard";

    public bool StoreSipMessages { get; set; } = true;

    public EmulatedPhoneNumber ToSnapshot() => new(PhoneNumberId, Number, Label, Provider, AgentId);

    /// <summary>The GET/PATCH/list response element (§2), discriminated on <c>provider</c>.</summary>
    public JsonObject ToJson(string agentName)
    {
        var json = new JsonObject
        {
            ["phone_number"] = Number,
            ["label"] = Label,
            ["supports_inbound"] = true,
            ["supports_outbound"] = true,
            ["phone_number_id"] = PhoneNumberId,
            ["assigned_agent"] = AgentId is null ? null : new JsonObject { ["agent_id"] = AgentId, ["agent_name"] = agentName },
            ["provider"] = Provider,
        };
        if (Provider == SipTrunk)
        {
            json["provider_config"] = OutboundTrunk?.DeepClone();
            json["outbound_trunk"] = OutboundTrunk?.DeepClone();
            json["inbound_trunk"] = InboundTrunk?.DeepClone();
            json["livekit_stack"] = LivekitStack;
            json["store_sip_messages"] = StoreSipMessages;
        }

        return json;
    }

    /// <summary>Turns an <c>OutboundSIPTrunkConfigRequestModel</c> into its response model (credentials hidden).</summary>
    public static JsonObject OutboundTrunkResponse(JsonObject request)
    {
        var credentials = request["credentials"] as JsonObject;
        return new JsonObject
        {
            ["address"] = request["address"]?.DeepClone(),
            ["transport"] = request["transport"]?.DeepClone() ?? "auto",
            ["media_encryption"] = request["media_encryption"]?.DeepClone() ?? "allowed",
            ["headers"] = request["headers"]?.DeepClone() ?? new JsonObject(),
            ["attributes_to_headers"] = request["attributes_to_headers"]?.DeepClone() ?? new JsonObject(),
            ["has_auth_credentials"] = credentials is not null,
            ["username"] = credentials?["username"]?.DeepClone(),
            ["has_outbound_trunk"] = true,
            ["enabled_codecs"] = request["enabled_codecs"]?.DeepClone() ?? new JsonArray("PCMU/8000", "PCMA/8000"),
        };
    }

    /// <summary>Turns an <c>InboundSIPTrunkConfigRequestModel</c> into its response model (credentials hidden).</summary>
    public static JsonObject InboundTrunkResponse(JsonObject request)
    {
        var credentials = request["credentials"] as JsonObject;
        return new JsonObject
        {
            ["allowed_addresses"] = request["allowed_addresses"]?.DeepClone() ?? new JsonArray(),
            ["allowed_numbers"] = request["allowed_numbers"]?.DeepClone(),
            ["media_encryption"] = request["media_encryption"]?.DeepClone() ?? "allowed",
            ["has_auth_credentials"] = credentials is not null,
            ["username"] = credentials?["username"]?.DeepClone(),
            ["remote_domains"] = request["remote_domains"]?.DeepClone(),
            ["attributes_to_headers"] = request["attributes_to_headers"]?.DeepClone() ?? new JsonObject(),
        };
    }
}
