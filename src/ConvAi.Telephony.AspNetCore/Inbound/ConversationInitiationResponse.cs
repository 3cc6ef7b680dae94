using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// The answer to the conversation-initiation webhook: the dynamic variables and overrides the
/// agent starts the call with. Serialized with <c>"type": "conversation_initiation_client_data"</c>.
/// </summary>
/// <remarks>
/// <para><see cref="DynamicVariables"/> must hold every dynamic variable the agent defines, or the
/// conversation fails. Names starting with <c>system__</c> are reserved and make the endpoint answer
/// its default response instead (see ConversationInitiationOptions.DefaultDynamicVariables); use <c>DynamicVariables.Secret(name)</c> for values the LLM must not see.</para>
/// <para>Each override must be enabled in the agent's security settings, or the conversation fails.</para>
/// </remarks>
public sealed record ConversationInitiationResponse
{
    /// <summary>The value of <see cref="Type"/>.</summary>
    public const string ResponseType = "conversation_initiation_client_data";

    /// <summary>Gets the payload type, always <c>conversation_initiation_client_data</c>.</summary>
    [JsonPropertyName("type")]
    public string Type => ResponseType;

    /// <summary>Gets the dynamic variables, each any JSON value (<c>["name"] = "Ana"</c>, <c>["visits"] = 3</c>).</summary>
    [JsonPropertyName("dynamic_variables")]
    public IDictionary<string, JsonNode?>? DynamicVariables { get; init; }

    /// <summary>Gets the overrides of the agent's configuration for this conversation; each must be enabled on the agent.</summary>
    [JsonPropertyName("conversation_config_override")]
    public ConversationConfigOverride? ConversationConfigOverride { get; init; }

    /// <summary>Gets the end-user id recorded with the conversation (filterable in the conversation list).</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    /// <summary>Gets extra fields passed to a custom LLM.</summary>
    [JsonPropertyName("custom_llm_extra_body")]
    public JsonObject? CustomLlmExtraBody { get; init; }

    /// <summary>Gets the id of the agent branch to run.</summary>
    [JsonPropertyName("branch_id")]
    public string? BranchId { get; init; }

    /// <summary>Gets the agent environment to run.</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>Gets or sets further fields to send that this version does not model.</summary>
    /// <remarks>Settable rather than init-only: System.Text.Json's source generator cannot bind init-only extension data.</remarks>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
