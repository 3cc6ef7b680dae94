using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

public class ConvAiWebhookOptionsTests
{
    private static WebApplication Build(Dictionary<string, string?> settings, Action<IServiceCollection> register)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        register(builder.Services);
        return builder.Build();
    }

    [Test]
    public void AddConvAiWebhooks_NoSecretConfigured_StartupFailsNamingTheKeys()
    {
        using var app = Build([], services => services.AddConvAiWebhooks().AddHandler<RecordingWebhookHandler>());

        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(exception!.Message, Does.Contain("ConvAi:Webhooks:Secret").And.Contain("WEBHOOK_SECRET"));
    }

    [Test]
    public void AddConvAiWebhooks_BlankSecrets_StartupFails()
    {
        using var app = Build(
            new() { ["ConvAi:Webhooks:Secret"] = "  ", ["ConvAi:Webhooks:Secrets:0"] = "", ["WEBHOOK_SECRET"] = "" },
            services => services.AddConvAiWebhooks());

        Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    [Test]
    public void AddConvAiWebhooks_BadAllowlistEntry_StartupFailsNamingTheKey()
    {
        using var app = Build(
            new() { ["ConvAi:Webhooks:Secret"] = "s", ["ConvAi:Webhooks:Verification:AllowedSourceIps:0"] = "not-an-ip" },
            services => services.AddConvAiWebhooks());

        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(exception!.Message, Does.Contain("ConvAi:Webhooks:Verification:AllowedSourceIps").And.Contain("not-an-ip"));
    }

    [Test]
    public void AddConvAiWebhooks_Section_BindsEveryOption()
    {
        using var app = Build(
            new()
            {
                ["ConvAi:Webhooks:Secret"] = "primary",
                ["ConvAi:Webhooks:Secrets:0"] = "next",
                ["ConvAi:Webhooks:Secrets:1"] = "previous",
                ["ConvAi:Webhooks:Verification:TimestampTolerance"] = "00:10:00",
                ["ConvAi:Webhooks:Verification:MaxRequestBodySize"] = "1048576",
                ["ConvAi:Webhooks:Verification:EnableSourceIpAllowlist"] = "true",
                ["ConvAi:Webhooks:Verification:AllowedSourceIps:0"] = "10.0.0.0/8",
                ["ConvAi:Webhooks:Deduplication:KeyPrefix"] = "app1:",
            },
            services => services.AddConvAiWebhooks());

        var options = app.Services.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.EffectiveSecrets, Is.EqualTo(new[] { "primary", "next", "previous" }));
            Assert.That(options.Verification.TimestampTolerance, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(options.Verification.MaxRequestBodySize, Is.EqualTo(1048576));
            Assert.That(options.Verification.EnableSourceIpAllowlist, Is.True);
            Assert.That(options.Verification.AllowedSourceIps, Is.EqualTo(new[] { "10.0.0.0/8" }));
            Assert.That(options.Deduplication.KeyPrefix, Is.EqualTo("app1:"));
        });
    }

    [Test]
    public void AddConvAiWebhooks_Defaults_AreDocumentedValues()
    {
        using var app = Build(new() { ["WEBHOOK_SECRET"] = "from-env" }, services => services.AddConvAiWebhooks());

        var options = app.Services.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.Secret, Is.EqualTo("from-env"));
            Assert.That(options.Verification.TimestampTolerance, Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(options.Verification.MaxRequestBodySize, Is.EqualTo(40L * 1024 * 1024));
            Assert.That(options.Verification.EnableSourceIpAllowlist, Is.False);
        });
    }

    [Test]
    public void AddConvAiWebhooks_SectionSecretAndWebhookSecret_SectionWins()
    {
        using var app = Build(
            new() { ["ConvAi:Webhooks:Secret"] = "section", ["WEBHOOK_SECRET"] = "top-level" },
            services => services.AddConvAiWebhooks());

        var options = app.Services.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value;

        Assert.That(options.EffectiveSecrets, Is.EqualTo(new[] { "section" }));
    }

    [Test]
    public void AddConvAiWebhooks_ExplicitSection_Binds()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Hooks:Secret"] = "explicit" })
            .Build()
            .GetSection("Hooks");
        using var app = Build([], services => services.AddConvAiWebhooks(section));

        Assert.That(app.Services.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value.Secret, Is.EqualTo("explicit"));
    }

    [Test]
    public async Task AddConvAiWebhooks_WebhookSecretOnly_VerifiesWithIt()
    {
        await using var app = Build(new() { ["WEBHOOK_SECRET"] = WebhookFixtures.Secret }, services => services.AddConvAiWebhooks().AddHandler<RecordingWebhookHandler>().Services.AddSingleton<WebhookRecorder>());
        app.MapConvAiWebhooks("/hooks");
        await app.StartAsync();
        var body = WebhookFixtures.Load("unknown_type.json");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        content.Headers.Add(ConvAiWebhookSignature.HeaderName, WebhookFixtures.Sign(body, at: DateTimeOffset.UtcNow));

        using var response = await app.GetTestClient().PostAsync("/hooks", content);

        Assert.That((int)response.StatusCode, Is.EqualTo(StatusCodes.Status200OK));
    }

    [Test]
    public void MapConvAiWebhooks_WithoutAddConvAiWebhooks_ThrowsInvalidOperation()
    {
        using var app = Build([], _ => { });

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapConvAiWebhooks("/hooks"));

        Assert.That(exception!.Message, Does.Contain("AddConvAiWebhooks"));
    }

    [Test]
    public void MapConvAiWebhooks_WithoutHandler_ThrowsInvalidOperation()
    {
        using var app = Build(new() { ["WEBHOOK_SECRET"] = "s" }, services => services.AddConvAiWebhooks());

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapConvAiWebhooks("/hooks"));

        Assert.That(exception!.Message, Does.Contain("AddHandler"));
    }

    [Test]
    public void MapConvAiWebhooks_NoSecret_FailsWhenMapped()
    {
        using var app = Build([], services => services.AddConvAiWebhooks().AddHandler<RecordingWebhookHandler>());

        Assert.Throws<OptionsValidationException>(() => app.MapConvAiWebhooks("/hooks"));
    }

    [Test]
    public void GetConvAiWebhookEvent_UnverifiedRequest_ThrowsInvalidOperation()
    {
        var context = new DefaultHttpContext();

        var exception = Assert.Throws<InvalidOperationException>(() => context.GetConvAiWebhookEvent());

        Assert.That(exception!.Message, Does.Contain("RequireConvAiWebhookSignature"));
    }

    [Test]
    public void AddHandler_CalledTwice_LastHandlerWins()
    {
        var services = new ServiceCollection();
        services.AddConvAiWebhooks(o => o.Secret = "s").AddHandler<RecordingWebhookHandler>().AddHandler<NoOpHandler>();

        Assert.That(services.Where(d => d.ServiceType == typeof(ConvAiWebhookHandler)).Select(d => d.ImplementationType), Is.EqualTo(new[] { typeof(NoOpHandler) }));
    }

    private sealed class NoOpHandler : ConvAiWebhookHandler;
}
