using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Benchmarks.Bridge;

/// <summary>
/// <c>--bridge-host</c>: our bridge as a process for <c>benchmarks/bridges/run.sh --ours</c> (the host of benchmarks/README.md, public API
/// only): the voice webhook and the media stream on <c>127.0.0.1:$BRIDGE_PORT</c>, the agent at <c>$EMULATOR_URL</c> as a public agent, and
/// <c>GET /stats</c> answering <c>{"heapUsed": …}</c> after a full collection, so the driver's heap per live call counts live objects only
/// (garbage not yet collected left out).
/// </summary>
internal static class BridgeProcessHost
{
    public static async Task<int> RunAsync()
    {
        static string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set.");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{Env("BRIDGE_PORT")}");
        builder.Services.AddConvAiTelephony(o =>
        {
            o.ApiKey = "bench";
            o.BaseAddress = new Uri(Env("EMULATOR_URL"));
            o.DefaultAgentId = Env("AGENT_ID");
        });
        builder.Services.AddConvAiTwilioBridge<Handler>()
            .ConfigureTwilio(o =>
            {
                o.AuthToken = Env("TWILIO_AUTH_TOKEN");
                o.AgentId = Env("AGENT_ID");
            })
            .Configure(o => o.IsPublicAgent = true);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapConvAiTwilioVoice("/twilio/voice");
        app.MapConvAiTwilioMediaStream("/twilio/media");
        app.MapGet("/stats", (RequestDelegate)(context => context.Response.WriteAsync("{\"heapUsed\":" + GC.GetTotalMemory(forceFullCollection: true) + "}")));
        await app.RunAsync();
        return 0;
    }

    private sealed class Handler : ConvAiTwilioBridgeHandler;
}
