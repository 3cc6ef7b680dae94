using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.Testing;

/// <summary>
/// Collects 422 validation errors in the FastAPI/pydantic shape the real API uses
/// (<c>loc</c>, <c>msg</c>, <c>type</c>), reading fields from a JSON body or the query string.
/// </summary>
internal sealed partial class RequestValidator
{
    private readonly JsonArray _errors = [];

    /// <summary>The location of the request body, the root of every body field's location.</summary>
    public static readonly JsonNode?[] BodyRoot = Loc("body");

    public bool HasErrors => _errors.Count > 0;

    /// <summary>
    /// The one way an endpoint reads its JSON body: runs <paramref name="endpoint"/> with a validator and the body object,
    /// or answers 422 in the real API's shape when the body is missing, not JSON, or not an object.
    /// </summary>
    public static Task WithBodyAsync(HttpContext context, Func<RequestValidator, JsonObject, Task> endpoint)
    {
        var validator = new RequestValidator();
        return validator.Body(context) is { } body ? endpoint(validator, body) : ApiResults.ValidationErrorAsync(context, validator.Errors);
    }

    public JsonArray Errors => _errors;

    /// <summary>Records one error. The location's nodes are copied, so a location may be shared between errors.</summary>
    public void Add(JsonNode?[] loc, string message, string type) =>
        _errors.Add((JsonNode)new JsonObject
        {
            ["loc"] = new JsonArray(Array.ConvertAll(loc, node => node?.DeepClone())),
            ["msg"] = message,
            ["type"] = type,
        });

    /// <summary>Parses the request body as a JSON object, or records why it cannot.</summary>
    public JsonObject? Body(HttpContext context)
    {
        var bytes = RequestRecorder.BodyOf(context);
        if (bytes.Length == 0)
        {
            Add(Loc("body"), "Field required", "missing");
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            Add(Loc("body", 0), "JSON decode error", "json_invalid");
            return null;
        }

        if (node is JsonObject obj)
        {
            return obj;
        }

        Add(Loc("body"), "Input should be a valid dictionary or object to extract fields from", "model_attributes_type");
        return null;
    }

    public string? RequiredString(JsonObject obj, string name, JsonNode?[] parent)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            Add(Append(parent, name), "Field required", "missing");
            return null;
        }

        return AsString(node, Append(parent, name));
    }

    public string? OptionalString(JsonObject? obj, string name, JsonNode?[] parent)
    {
        if (obj is null || !obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return AsString(node, Append(parent, name));
    }

    public string? RequiredPhoneNumber(JsonObject obj, string name, JsonNode?[] parent)
    {
        var value = RequiredString(obj, name, parent);
        return value is null ? null : CheckPhoneNumber(value, Append(parent, name));
    }

    public string? CheckPhoneNumber(string value, JsonNode?[] loc)
    {
        if (E164Pattern().IsMatch(value))
        {
            return value;
        }

        Add(loc, "Value error, the phone number must be in E.164 format, e.g. +14155550100", "value_error");
        return null;
    }

    public long? OptionalInteger(JsonObject? obj, string name, JsonNode?[] parent, long min, long max)
    {
        if (obj is null || !obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        var loc = Append(parent, name);
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue(out long number))
        {
            Add(loc, "Input should be a valid integer", "int_type");
            return null;
        }

        return CheckRange(number, loc, min, max);
    }

    public bool? OptionalBoolean(JsonObject? obj, string name, JsonNode?[] parent)
    {
        if (obj is null || !obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return node.GetValue<bool>();
        }

        Add(Append(parent, name), "Input should be a valid boolean", "bool_type");
        return null;
    }

    public JsonObject? OptionalObject(JsonObject? obj, string name, JsonNode?[] parent)
    {
        if (obj is null || !obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonObject child)
        {
            return child;
        }

        Add(Append(parent, name), "Input should be a valid dictionary", "dict_type");
        return null;
    }

    public JsonArray? RequiredArray(JsonObject obj, string name, JsonNode?[] parent, int minItems, int maxItems)
    {
        var loc = Append(parent, name);
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            Add(loc, "Field required", "missing");
            return null;
        }

        if (node is not JsonArray array)
        {
            Add(loc, "Input should be a valid list", "list_type");
            return null;
        }

        if (array.Count < minItems)
        {
            Add(loc, string.Create(CultureInfo.InvariantCulture, $"List should have at least {minItems} item after validation, not {array.Count}"), "too_short");
            return null;
        }

        if (array.Count > maxItems)
        {
            Add(loc, string.Create(CultureInfo.InvariantCulture, $"List should have at most {maxItems} items after validation, not {array.Count}"), "too_long");
            return null;
        }

        return array;
    }

    /// <summary>Checks a string against an enum of allowed values.</summary>
    public string? CheckEnum(string? value, JsonNode?[] loc, params string[] allowed)
    {
        if (value is null || Array.IndexOf(allowed, value) >= 0)
        {
            return value;
        }

        Add(loc, "Input should be " + DescribeChoices(allowed), "enum");
        return null;
    }

    /// <summary>Validates <c>conversation_initiation_client_data</c> (§5.1) and returns a copy of it.</summary>
    public JsonObject? ClientData(JsonObject? obj, JsonNode?[] parent)
    {
        var data = OptionalObject(obj, "conversation_initiation_client_data", parent);
        if (data is null)
        {
            return null;
        }

        var loc = Append(parent, "conversation_initiation_client_data");
        OptionalString(data, "user_id", loc);
        OptionalObject(data, "dynamic_variables", loc);
        OptionalObject(data, "conversation_config_override", loc);
        return (JsonObject)data.DeepClone();
    }

    /// <summary>Validates <c>telephony_call_config</c> (ringing timeout 1–999 seconds).</summary>
    public void TelephonyCallConfig(JsonObject obj, JsonNode?[] parent)
    {
        var config = OptionalObject(obj, "telephony_call_config", parent);
        var loc = Append(parent, "telephony_call_config");
        OptionalInteger(config, "ringing_timeout_secs", loc, 1, 999);
        OptionalBoolean(config, "twilio_call_recording_enabled", loc);
    }

    public string? QueryString(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>Reads a query parameter the API requires, recording <c>Field required</c> when it is absent.</summary>
    public string? RequiredQueryString(HttpContext context, string name)
    {
        var value = QueryString(context, name);
        if (value is null)
        {
            Add(Loc("query", name), "Field required", "missing");
        }

        return value;
    }

    public long? QueryInteger(HttpContext context, string name, long min, long max)
    {
        var text = QueryString(context, name);
        if (text is null)
        {
            return null;
        }

        var loc = Loc("query", name);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Add(loc, "Input should be a valid integer, unable to parse string as an integer", "int_parsing");
            return null;
        }

        return CheckRange(number, loc, min, max);
    }

    public bool? QueryBoolean(HttpContext context, string name)
    {
        var text = QueryString(context, name);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Add(Loc("query", name), "Input should be a valid boolean, unable to interpret input", "bool_parsing");
        return null;
    }

    public string? QueryEnum(HttpContext context, string name, params string[] allowed) =>
        CheckEnum(QueryString(context, name), Loc("query", name), allowed);

    public IReadOnlyList<string> QueryEnumList(HttpContext context, string name, params string[] allowed)
    {
        var result = new List<string>();
        if (!context.Request.Query.TryGetValue(name, out var values))
        {
            return result;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (CheckEnum(values[i], Loc("query", name, i), allowed) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    public static JsonNode?[] Loc(params object[] parts)
    {
        var loc = new JsonNode?[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            loc[i] = parts[i] is int index ? JsonValue.Create(index) : JsonValue.Create((string)parts[i]);
        }

        return loc;
    }

    public static JsonNode?[] Append(JsonNode?[] parent, string name)
    {
        var loc = new JsonNode?[parent.Length + 1];
        parent.CopyTo(loc, 0);
        loc[^1] = JsonValue.Create(name);
        return loc;
    }

    private string? AsString(JsonNode node, JsonNode?[] loc)
    {
        if (node.GetValueKind() == JsonValueKind.String)
        {
            return node.GetValue<string>();
        }

        Add(loc, "Input should be a valid string", "string_type");
        return null;
    }

    private long? CheckRange(long number, JsonNode?[] loc, long min, long max)
    {
        if (number < min)
        {
            Add(loc, string.Create(CultureInfo.InvariantCulture, $"Input should be greater than or equal to {min}"), "greater_than_equal");
            return null;
        }

        if (number > max)
        {
            Add(loc, string.Create(CultureInfo.InvariantCulture, $"Input should be less than or equal to {max}"), "less_than_equal");
            return null;
        }

        return number;
    }

    private static string DescribeChoices(string[] allowed)
    {
        var quoted = allowed.Select(a => "'" + a + "'").ToArray();
        return quoted.Length == 1
            ? quoted[0]
            : string.Join(", ", quoted[..^1]) + " or " + quoted[^1];
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164Pattern();
}
