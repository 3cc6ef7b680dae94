using ConvAi.Telephony.Testing;
using InboundRouting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Samples.Tests.InboundRouting;

/// <summary>
/// Runs the InboundRouting sample's own Program.cs in memory in its no-key mode (register-call answered by the
/// in-process emulator the sample creates), with a Twilio auth token, a VIP agent and a fake clock set inside the
/// opening hours. <paramref name="settings"/> add or override configuration keys; <paramref name="emulator"/>, when
/// given, answers register-call instead of the sample's own emulator, so a test can read what was registered;
/// <paramref name="now"/> sets the fake clock (default <see cref="OpenTime"/>).
/// </summary>
internal sealed class InboundRoutingFactory(
    IReadOnlyDictionary<string, string>? settings = null,
    ConvAiEmulator? emulator = null,
    DateTimeOffset? now = null) : WebApplicationFactory<RoutingOptions>
{
    public const string AuthToken = "test-twilio-token";

    /// <summary>The named HttpClient <c>AddConvAiTelephony</c> registers (the common brief's contract).</summary>
    private const string ConvAiClientName = "ConvAi.Telephony";
    public const string VipAgentId = "agent_vip";

    /// <summary>The agent the sample uses in emulator mode when no agent is configured.</summary>
    public const string EmulatedAgentId = "agent_emulated";

    /// <summary>Monday 2 March 2026, 10:00 in London (GMT): inside the sample's opening hours.</summary>
    public static readonly DateTimeOffset OpenTime = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(now ?? OpenTime);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // No API key from the machine running the tests may switch the sample to the real API.
        builder.UseSetting("ConvAi:ApiKey", "");
        builder.UseSetting("ELEVENLABS_API_KEY", "");
        builder.UseSetting("ConvAi:Twilio:AuthToken", AuthToken);
        builder.UseSetting("Routing:VipAgentId", VipAgentId);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            if (emulator is not null)
            {
                services.AddHttpClient(ConvAiClientName).ConfigurePrimaryHttpMessageHandler(emulator.CreateHandler);
            }
        });
    }
}
