using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using ConvAi.Telephony.Benchmarks.Client;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--cold-start client|client-noDI|handwritten|stack &lt;base address&gt;</c>: a whole process that places one outbound call
/// and reads one conversation against a local server, with the library through DI (<c>AddConvAiTelephony</c>, the
/// named HttpClient, the full pipeline), with the library's constructor (<c>new ConvAiTelephonyClient(options)</c>, for
/// apps without DI), hand-written (<see cref="HttpClient"/> and a small source-generated JSON context of its own), or
/// on the library's stack without the library (<see cref="StackFloor"/>).
/// <c>run.sh</c> times it. With <c>COLD_START_PHASES=1</c> it prints to stderr when each phase ended (milliseconds
/// since the process started), how many assemblies were loaded, how many methods were JIT-compiled and in how much JIT
/// time, and the managed bytes allocated, to show where the time goes; <c>=2</c> also names
/// the assemblies each phase loaded.
/// </summary>
public static class ColdStart
{
    private static readonly string? Phases = Environment.GetEnvironmentVariable("COLD_START_PHASES");
    private static readonly bool PrintPhases = Phases is "1" or "2";
    private static readonly HashSet<string> Loaded = [];

    /// <summary>Runs one mode; returns the process exit code.</summary>
    public static Task<int> RunAsync(string mode, Uri baseAddress) => mode switch
    {
        "client" => WithLibraryAsync(baseAddress),
        "client-noDI" => WithLibraryConstructorAsync(baseAddress),
        "handwritten" => HandWrittenAsync(baseAddress),
        "stack" => StackFloor.RunAsync(baseAddress, Phase),
        _ => Task.FromResult(Usage()),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: --cold-start client|client-noDI|handwritten|stack <base address>");
        return 2;
    }

    /// <summary>The outbound call the hand-written and stack-floor programs place, declared as a hand-written client would.</summary>
    internal static OutboundCall HandWrittenCall() => new(
        "agent_1",
        "phnum_twilio_1",
        "+447700900123",
        new ClientData("cust-42", new Dictionary<string, object> { ["customer_name"] = "Ana", ["balance"] = 12.5, ["vip"] = true }));

    private static void Phase(string name)
    {
        if (PrintPhases)
        {
            var sinceStart = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;
            var assemblies = AppDomain.CurrentDomain.GetAssemblies();
            // JIT-compiled methods and the time spent compiling them (all threads, since the process started; 0 under native AOT).
            var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
            var jitTime = System.Runtime.JitInfo.GetCompilationTime();
            var allocated = GC.GetTotalAllocatedBytes();
            Console.Error.WriteLine(
                $"{sinceStart.TotalMilliseconds,6:0} ms  {assemblies.Length,3} assemblies  {jitted,5} methods JIT-compiled in {jitTime.TotalMilliseconds,4:0} ms  "
                + $"{allocated / 1024,6} KB allocated  {name}");
            if (Phases == "2")
            {
                // Which assemblies this phase loaded.
                var added = assemblies.Select(a => a.GetName().Name ?? "?").Where(Loaded.Add).Order(StringComparer.Ordinal);
                Console.Error.WriteLine($"          + {string.Join(", ", added)}");
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> WithLibraryAsync(Uri baseAddress)
    {
        Phase("main");
        var (services, client) = ClientFactory.Create(createHandler: null, baseAddress);
        Phase("client resolved");
        await using (services)
        {
            var call = await client.Calls.StartTwilioCallAsync(ClientFactory.CallRequest);
            Phase("call placed");
            var conversation = await client.Conversations.GetAsync(call.ConversationId!);
            Phase("conversation read");
            Console.WriteLine($"{call.CallSid} {conversation.ConversationId} {conversation.Transcript?.Count}");
        }

        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> WithLibraryConstructorAsync(Uri baseAddress)
    {
        Phase("main");
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = Payloads.ApiKey, BaseAddress = baseAddress });
        Phase("client created");
        var call = await client.Calls.StartTwilioCallAsync(ClientFactory.CallRequest);
        Phase("call placed");
        var conversation = await client.Conversations.GetAsync(call.ConversationId!);
        Phase("conversation read");
        Console.WriteLine($"{call.CallSid} {conversation.ConversationId} {conversation.Transcript?.Count}");
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> HandWrittenAsync(Uri baseAddress)
    {
        Phase("main");
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add("xi-api-key", Payloads.ApiKey);
        using var callResponse = await http.PostAsJsonAsync("v1/convai/twilio/outbound-call", HandWrittenCall(), HandWrittenJson.Default.OutboundCall);
        callResponse.EnsureSuccessStatusCode();
        var call = (await callResponse.Content.ReadFromJsonAsync(HandWrittenJson.Default.OutboundCallResult))!;
        Phase("call placed");
        using var conversationResponse = await http.GetAsync($"v1/convai/conversations/{Uri.EscapeDataString(call.ConversationId!)}");
        conversationResponse.EnsureSuccessStatusCode();
        var conversation = (await conversationResponse.Content.ReadFromJsonAsync(HandWrittenJson.Default.ConversationDetails))!;
        Phase("conversation read");
        Console.WriteLine($"{call.CallSid} {conversation.ConversationId} {conversation.Transcript.Count}");
        return 0;
    }
}

/// <summary>The outbound-call body a hand-written client declares.</summary>
public sealed record OutboundCall(
    [property: JsonPropertyName("agent_id")] string AgentId,
    [property: JsonPropertyName("agent_phone_number_id")] string AgentPhoneNumberId,
    [property: JsonPropertyName("to_number")] string ToNumber,
    [property: JsonPropertyName("conversation_initiation_client_data")] ClientData ClientData);

/// <summary>The per-call data a hand-written client declares.</summary>
public sealed record ClientData(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("dynamic_variables")] Dictionary<string, object> DynamicVariables);

/// <summary>The outbound-call answer a hand-written client declares.</summary>
public sealed record OutboundCallResult(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("conversation_id")] string? ConversationId,
    [property: JsonPropertyName("callSid")] string? CallSid);

/// <summary>The parts of a conversation a hand-written client declares.</summary>
public sealed record ConversationDetails(
    [property: JsonPropertyName("conversation_id")] string ConversationId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("transcript")] IReadOnlyList<TranscriptTurn> Transcript);

/// <summary>One transcript turn as a hand-written client declares it.</summary>
public sealed record TranscriptTurn(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("time_in_call_secs")] int TimeInCallSecs);

/// <summary>The hand-written client's source-generated JSON context.</summary>
[JsonSerializable(typeof(OutboundCall))]
[JsonSerializable(typeof(OutboundCallResult))]
[JsonSerializable(typeof(ConversationDetails))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
public sealed partial class HandWrittenJson : JsonSerializerContext;
