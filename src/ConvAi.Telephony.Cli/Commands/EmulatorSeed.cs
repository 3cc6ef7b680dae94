using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary>
/// The <c>--seed</c> file of <c>convai emulator</c> (format in docs/cli.md): phone numbers to import, numbers that answer
/// busy, never answer or end unsuccessfully, and calls to place at start so conversations exist.
/// </summary>
internal sealed record EmulatorSeed
{
    private static readonly JsonSerializerOptions Json = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    [JsonPropertyName("phone_numbers")]
    public IReadOnlyList<SeedPhoneNumber> PhoneNumbers { get; init; } = [];

    [JsonPropertyName("busy_numbers")]
    public IReadOnlyList<string> BusyNumbers { get; init; } = [];

    [JsonPropertyName("no_answer_numbers")]
    public IReadOnlyList<string> NoAnswerNumbers { get; init; } = [];

    [JsonPropertyName("unsuccessful_numbers")]
    public IReadOnlyList<string> UnsuccessfulNumbers { get; init; } = [];

    [JsonPropertyName("conversations")]
    public IReadOnlyList<SeedConversation> Conversations { get; init; } = [];

    /// <summary>Reads and checks a seed file.</summary>
    /// <exception cref="UsageException">The file is missing, is not valid JSON or breaks a rule of the format.</exception>
    public static EmulatorSeed Load(string path)
    {
        EmulatorSeed? seed;
        try
        {
            seed = JsonSerializer.Deserialize<EmulatorSeed>(File.ReadAllBytes(path), Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the seed file {path}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"the seed file {path} is not valid: {ex.Message}");
        }

        if (seed is null)
        {
            throw new UsageException($"the seed file {path} is empty (expected a JSON object)");
        }

        foreach (var number in seed.PhoneNumbers)
        {
            if (string.IsNullOrEmpty(number.PhoneNumber) || number.Provider is not ("twilio" or "sip_trunk"))
            {
                throw new UsageException($"seed phone number '{number.PhoneNumber}': phone_number is required and provider must be twilio or sip_trunk");
            }
        }

        foreach (var call in seed.Conversations)
        {
            if (string.IsNullOrEmpty(call.To) || !seed.PhoneNumbers.Any(p => p.PhoneNumber == call.From))
            {
                throw new UsageException($"seed conversation to '{call.To}': 'to' is required and 'from' must be one of the seed's phone_numbers");
            }
        }

        return seed;
    }

    /// <summary>Copies the number lists into emulator options (they are read when the emulator is constructed).</summary>
    public void ApplyTo(ConvAiEmulatorOptions options)
    {
        options.BusyNumbers.UnionWith(BusyNumbers);
        options.NoAnswerNumbers.UnionWith(NoAnswerNumbers);
        options.UnsuccessfulNumbers.UnionWith(UnsuccessfulNumbers);
    }

    /// <summary>Imports the phone numbers and places the calls through the emulator's own API, as a client would.</summary>
    /// <returns>The imported numbers with their ids, and the placed calls' conversation ids.</returns>
    public async Task<(IReadOnlyList<(string Number, string Id)> Numbers, IReadOnlyList<string> ConversationIds)> ApplyAsync(
        IConvAiTelephonyClient client, CancellationToken cancellationToken)
    {
        var numbers = new List<(string Number, string Id)>();
        foreach (var number in PhoneNumbers)
        {
            var result = number.Provider == "twilio"
                ? await client.PhoneNumbers.ImportTwilioAsync(
                    new ImportTwilioPhoneNumberRequest
                    {
                        PhoneNumber = number.PhoneNumber,
                        Label = number.Label ?? number.PhoneNumber,
                        Sid = "AC00000000000000000000000000000000",
                        Token = "emulator",
                        AgentId = number.AgentId,
                    },
                    cancellationToken)
                : await client.PhoneNumbers.ImportSipTrunkAsync(
                    new ImportSipTrunkPhoneNumberRequest { PhoneNumber = number.PhoneNumber, Label = number.Label ?? number.PhoneNumber, AgentId = number.AgentId },
                    cancellationToken);
            numbers.Add((number.PhoneNumber, result.PhoneNumberId));
        }

        var conversations = new List<string>();
        foreach (var call in Conversations)
        {
            var from = PhoneNumbers.First(p => p.PhoneNumber == call.From);
            var id = numbers.First(n => n.Number == call.From).Id;
            var agentId = call.AgentId ?? from.AgentId ?? "agent_emulated";
            var clientData = call.DynamicVariables is null && call.UserId is null
                ? null
                : new ConversationInitiationClientData
                {
                    UserId = call.UserId,
                    DynamicVariables = call.DynamicVariables?.ToDictionary(p => p.Key, p => p.Value?.DeepClone()),
                };
            var conversationId = from.Provider == "twilio"
                ? (await client.Calls.StartTwilioCallAsync(
                    new StartTwilioCallRequest { AgentId = agentId, AgentPhoneNumberId = id, ToNumber = call.To, ConversationInitiationClientData = clientData },
                    cancellationToken)).ConversationId
                : (await client.Calls.StartSipTrunkCallAsync(
                    new StartSipTrunkCallRequest { AgentId = agentId, AgentPhoneNumberId = id, ToNumber = call.To, ConversationInitiationClientData = clientData },
                    cancellationToken)).ConversationId;
            conversations.Add(conversationId ?? "?");
        }

        return (numbers, conversations);
    }
}

/// <summary>One phone number of a seed file.</summary>
internal sealed record SeedPhoneNumber
{
    [JsonPropertyName("phone_number")]
    public string PhoneNumber { get; init; } = string.Empty;

    [JsonPropertyName("label")]
    public string? Label { get; init; }

    [JsonPropertyName("provider")]
    public string Provider { get; init; } = "twilio";

    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }
}

/// <summary>One call a seed file places at start.</summary>
internal sealed record SeedConversation
{
    [JsonPropertyName("from")]
    public string From { get; init; } = string.Empty;

    [JsonPropertyName("to")]
    public string To { get; init; } = string.Empty;

    [JsonPropertyName("agent_id")]
    public string? AgentId { get; init; }

    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    [JsonPropertyName("dynamic_variables")]
    public JsonObject? DynamicVariables { get; init; }
}
