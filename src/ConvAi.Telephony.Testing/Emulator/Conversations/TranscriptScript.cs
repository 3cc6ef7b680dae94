using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// Writes the synthetic transcript of an emulated call from its dynamic variables: the agent greets the
/// callee by name (<c>customer_name</c>, <c>name</c>, <c>first_name</c> or <c>user_name</c>) and reads back every
/// other variable. Variables prefixed <c>secret__</c> or <c>system__</c> never appear, as the real agent never sees them.
/// A <c>conversation_config_override.agent.first_message</c> is used as the greeting, with <c>{{name}}</c> placeholders filled.
/// </summary>
internal static partial class TranscriptScript
{
    private static readonly string[] NameVariables = ["customer_name", "name", "first_name", "user_name"];

    public static IReadOnlyList<TranscriptTurn> Write(JsonObject? clientData)
    {
        var variables = VisibleVariables(clientData?["dynamic_variables"] as JsonObject);
        var firstMessage = clientData?["conversation_config_override"] is JsonObject { } overrides
            && overrides["agent"] is JsonObject { } agent
            && agent["first_message"] is JsonValue { } message
            && message.GetValueKind() == JsonValueKind.String
                ? message.GetValue<string>()
                : null;

        var greeting = firstMessage is not null
            ? Placeholder().Replace(firstMessage, m => variables.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value)
            : Greeting(variables);

        var details = new StringBuilder();
        foreach (var (name, value) in variables)
        {
            details.Append(details.Length == 0 ? "I have these details for you: " : ", ");
            details.Append(name).Append(" is ").Append(value);
        }

        return
        [
            new("agent", greeting, 0),
            new("user", "Hi, yes, I can talk now.", 4),
            new("agent", details.Length == 0 ? "How can I help you today?" : details.Append('.').ToString(), 7),
            new("user", "That all sounds right, thank you.", 12),
            new("agent", "Great, thank you for your time. Goodbye!", 15),
        ];
    }

    /// <summary>
    /// Writes the transcript of a call answered by voicemail: the greeting, the answering machine's prompt, and the agent's
    /// message, on which the conversation JSON reports the voicemail-detection tool.
    /// </summary>
    public static IReadOnlyList<TranscriptTurn> WriteVoicemail(JsonObject? clientData) =>
    [
        Write(clientData)[0],
        new("user", "The person you are calling is not available. Please leave a message after the tone.", 4),
        new("agent", "Hello, this is your assistant. Please call us back when you have a moment. Goodbye!", 9),
    ];

    /// <summary>The call length in seconds that goes with <see cref="Write"/>'s transcript.</summary>
    public const int CallDurationSecs = 18;

    private static string Greeting(Dictionary<string, string> variables)
    {
        foreach (var name in NameVariables)
        {
            if (variables.TryGetValue(name, out var value))
            {
                return string.Create(CultureInfo.InvariantCulture, $"Hello {value}! This is your assistant calling.");
            }
        }

        return "Hello! This is your assistant calling.";
    }

    private static Dictionary<string, string> VisibleVariables(JsonObject? variables)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (variables is null)
        {
            return result;
        }

        foreach (var (name, value) in variables)
        {
            if (name.StartsWith("secret__", StringComparison.Ordinal) || name.StartsWith("system__", StringComparison.Ordinal))
            {
                continue;
            }

            result[name] = value switch
            {
                null => "null",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => value.ToJsonString(),
            };
        }

        return result;
    }

    /// <summary>A <c>{{name}}</c> placeholder of a dynamic variable; group 1 is the name. The agent socket's templates use it too.</summary>
    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}", RegexOptions.CultureInvariant)]
    internal static partial Regex Placeholder();
}
