using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore.Tests.MediaStreams;

/// <summary>The bridge's options are validated at start-up with messages that name the configuration key; the Twilio keys are shared.</summary>
public class BridgeOptionsTests
{
    [TestCase("MediaStreamPath", "twilio/media", "ConvAi:TwilioBridge:MediaStreamPath must be a path starting with '/' and without a query (Twilio refuses a query string in a stream URL).")]
    [TestCase("MediaStreamPath", "/twilio/media?x=1", "ConvAi:TwilioBridge:MediaStreamPath must be a path starting with '/' and without a query (Twilio refuses a query string in a stream URL).")]
    [TestCase("StartTimeout", "00:00:00", "ConvAi:TwilioBridge:StartTimeout must be more than zero.")]
    [TestCase("CallTokenLifetime", "00:00:00", "ConvAi:TwilioBridge:CallTokenLifetime must be more than zero.")]
    [TestCase("MarkDrainTimeout", "-00:00:01", "ConvAi:TwilioBridge:MarkDrainTimeout must be zero or more.")]
    [TestCase("ShutdownTimeout", "-00:00:01", "ConvAi:TwilioBridge:ShutdownTimeout must be zero or more.")]
    [TestCase("MaxFrameBytes", "1000", "ConvAi:TwilioBridge:MaxFrameBytes must be at least 1024.")]
    public void InvalidSetting_FailsWithAMessageNamingTheKey(string key, string value, string message)
    {
        using var provider = Build(new Dictionary<string, string?> { ["ConvAi:TwilioBridge:" + key] = value, ["TWILIO_AUTH_TOKEN"] = "token" });

        var exception = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<ConvAiTwilioBridgeOptions>>().Value);
        Assert.That(exception!.Failures, Is.EqualTo(new[] { message }));
    }

    [Test]
    public void Defaults_AreValid_AndTheTwilioKeysAreShared()
    {
        using var provider = Build(new Dictionary<string, string?> { ["TWILIO_AUTH_TOKEN"] = "token", ["ConvAi:Twilio:AgentId"] = "agent_1" });

        var bridge = provider.GetRequiredService<IOptions<ConvAiTwilioBridgeOptions>>().Value;
        var twilio = provider.GetRequiredService<IOptions<TwilioInboundOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(bridge.MediaStreamPath, Is.EqualTo("/twilio/media"));
            Assert.That(bridge.MarkDrainTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(bridge.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(bridge.MaxFrameBytes, Is.EqualTo(65536));
            Assert.That(twilio.AuthToken, Is.EqualTo("token"));
            Assert.That(twilio.AgentId, Is.EqualTo("agent_1"));
            Assert.That(provider.GetRequiredService<ILiveCalls>(), Is.SameAs(provider.GetRequiredService<LiveCallRegistry>()));
        });
    }

    [Test]
    public void NoTwilioAuthToken_FailsNamingTheKeys()
    {
        using var provider = Build(new Dictionary<string, string?>());

        var exception = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<TwilioInboundOptions>>().Value);
        Assert.That(string.Join(" ", exception!.Failures), Does.Contain("ConvAi:Twilio:AuthToken").And.Contain("TWILIO_AUTH_TOKEN"));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(new BridgeProbe());
        services.AddConvAiTwilioBridge<ProbeHandler>();
        return services.BuildServiceProvider();
    }
}
