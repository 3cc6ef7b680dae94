using ConvAi.Telephony.Benchmarks.Tools;

// --cold-start client|client-noDI|handwritten|stack <base address>: the cold-start program of benchmarks/ (Tools/ColdStart.cs there).
// --realtime <base address> <agent id> [api key]: one live conversation (RealtimeSession.cs), e.g. against `convai emulator`.
return args switch
{
    ["--cold-start", var mode, var baseAddress] => await ColdStart.RunAsync(mode, new Uri(baseAddress)),
    ["--realtime", var baseAddress, var agentId] => await RealtimeSession.RunAsync(new Uri(baseAddress), agentId, null),
    ["--realtime", var baseAddress, var agentId, var apiKey] => await RealtimeSession.RunAsync(new Uri(baseAddress), agentId, apiKey),
    _ => await ColdStart.RunAsync("usage", new Uri("http://127.0.0.1/")),
};
