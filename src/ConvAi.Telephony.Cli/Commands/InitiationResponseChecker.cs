using System.Text.Json;
using System.Text.Json.Nodes;
using ConvAi.Telephony.AspNetCore;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary>
/// Checks a conversation-initiation answer against what ElevenLabs accepts (api-reference §5, §8.6): the <c>type</c>,
/// scalar dynamic variable values, no reserved <c>system__</c> names, and the shape of <c>conversation_config_override</c>.
/// </summary>
internal static class InitiationResponseChecker
{
    private enum Kind
    {
        String,
        Number,
        Boolean,
        Object,
        StringArray,
        ObjectArray,
    }

    /// <summary>The overrides ElevenLabs knows, by path, with the JSON type each takes (null is always allowed).</summary>
    private static readonly Dictionary<string, Kind> Overrides = new(StringComparer.Ordinal)
    {
        ["agent"] = Kind.Object,
        ["agent.first_message"] = Kind.String,
        ["agent.language"] = Kind.String,
        ["agent.max_conversation_duration_message"] = Kind.String,
        ["agent.prompt"] = Kind.Object,
        ["agent.prompt.prompt"] = Kind.String,
        ["agent.prompt.llm"] = Kind.String,
        ["agent.prompt.tool_ids"] = Kind.StringArray,
        ["agent.prompt.native_mcp_server_ids"] = Kind.StringArray,
        ["agent.prompt.knowledge_base"] = Kind.ObjectArray,
        ["tts"] = Kind.Object,
        ["tts.voice_id"] = Kind.String,
        ["tts.model_id"] = Kind.String,
        ["tts.stability"] = Kind.Number,
        ["tts.speed"] = Kind.Number,
        ["tts.similarity_boost"] = Kind.Number,
        ["tts.pronunciation_dictionary_locators"] = Kind.ObjectArray,
        ["conversation"] = Kind.Object,
        ["conversation.text_only"] = Kind.Boolean,
    };

    private static readonly Dictionary<string, Kind> TopLevel = new(StringComparer.Ordinal)
    {
        ["user_id"] = Kind.String,
        ["custom_llm_extra_body"] = Kind.Object,
        ["branch_id"] = Kind.String,
        ["environment"] = Kind.String,
    };

    /// <summary>Returns every problem found in the answer body, or none.</summary>
    public static IReadOnlyList<string> Check(JsonNode? body)
    {
        var problems = new List<string>();
        if (body is not JsonObject answer)
        {
            problems.Add("the answer is not a JSON object.");
            return problems;
        }

        if (answer["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != ConversationInitiationResponse.ResponseType)
        {
            problems.Add($"type must be \"{ConversationInitiationResponse.ResponseType}\" (found {Describe(answer["type"], answer.ContainsKey("type"))}).");
        }

        CheckDynamicVariables(answer, problems);
        if (answer.TryGetPropertyValue("conversation_config_override", out var overrides) && overrides is not null)
        {
            CheckShape(overrides, "conversation_config_override", Overrides, string.Empty, problems);
        }

        foreach (var (name, value) in answer)
        {
            if (name is "type" or "dynamic_variables" or "conversation_config_override")
            {
                continue;
            }

            if (!TopLevel.TryGetValue(name, out var kind))
            {
                problems.Add($"unknown field '{name}' (ElevenLabs reads type, dynamic_variables, conversation_config_override, {string.Join(", ", TopLevel.Keys)}).");
            }
            else if (value is not null && !Is(value, kind))
            {
                problems.Add($"{name} must be {Name(kind)} or null (found {Describe(value, true)}).");
            }
        }

        return problems;
    }

    private static void CheckDynamicVariables(JsonObject answer, List<string> problems)
    {
        if (!answer.TryGetPropertyValue("dynamic_variables", out var node) || node is null)
        {
            problems.Add("dynamic_variables is missing: it must hold every dynamic variable the agent defines, or the call fails.");
            return;
        }

        if (node is not JsonObject variables)
        {
            problems.Add($"dynamic_variables must be an object (found {Describe(node, true)}).");
            return;
        }

        foreach (var (name, value) in variables)
        {
            if (name.StartsWith(DynamicVariables.SystemPrefix, StringComparison.Ordinal))
            {
                problems.Add($"dynamic variable '{name}': names starting with {DynamicVariables.SystemPrefix} are reserved for ElevenLabs' own variables.");
            }

            if (value is JsonObject or JsonArray)
            {
                problems.Add($"dynamic variable '{name}' is {Describe(value, true)}: values must be a string, number or boolean to fill {{{{{name}}}}} in prompts.");
            }
        }
    }

    private static void CheckShape(JsonNode node, string label, Dictionary<string, Kind> known, string path, List<string> problems)
    {
        if (node is not JsonObject obj)
        {
            problems.Add($"{label} must be an object (found {Describe(node, true)}).");
            return;
        }

        foreach (var (name, value) in obj)
        {
            var childPath = path.Length == 0 ? name : path + "." + name;
            var fullLabel = "conversation_config_override." + childPath;
            if (!known.TryGetValue(childPath, out var kind))
            {
                problems.Add($"{fullLabel} is not an override ElevenLabs knows.");
                continue;
            }

            if (value is null)
            {
                continue;
            }

            if (!Is(value, kind))
            {
                var hint = childPath == "agent.prompt" && value.GetValueKind() == JsonValueKind.String ? " Write {\"prompt\": {\"prompt\": \"...\"}}." : string.Empty;
                problems.Add($"{fullLabel} must be {Name(kind)} or null (found {Describe(value, true)}).{hint}");
            }
            else if (kind == Kind.Object)
            {
                CheckShape(value, fullLabel, known, childPath, problems);
            }
        }
    }

    private static bool Is(JsonNode value, Kind kind) => kind switch
    {
        Kind.String => value.GetValueKind() == JsonValueKind.String,
        Kind.Number => value.GetValueKind() == JsonValueKind.Number,
        Kind.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        Kind.Object => value is JsonObject,
        Kind.StringArray => value is JsonArray a && a.All(i => i?.GetValueKind() == JsonValueKind.String),
        Kind.ObjectArray => value is JsonArray a && a.All(i => i is JsonObject),
        _ => false,
    };

    private static string Name(Kind kind) => kind switch
    {
        Kind.String => "a string",
        Kind.Number => "a number",
        Kind.Boolean => "true or false",
        Kind.Object => "an object",
        Kind.StringArray => "an array of strings",
        _ => "an array of objects",
    };

    private static string Describe(JsonNode? value, bool present) => !present ? "nothing"
        : value is null ? "null"
        : value.GetValueKind() switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "the string " + value.ToJsonString(),
            _ => value.ToJsonString(),
        };
}
