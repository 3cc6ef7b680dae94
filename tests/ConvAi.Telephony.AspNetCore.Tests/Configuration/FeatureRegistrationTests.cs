using System.Net;
using ConvAi.Telephony.AspNetCore.Tests.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore.Tests.Configuration;

/// <summary>
/// The one registration pattern of the add-on's features and the core client: each binds the default section, a given
/// section or code the same way, and each well-known top-level key fills its secret only when none is configured.
/// </summary>
public class FeatureRegistrationTests
{
    public enum Binding
    {
        DefaultSection,
        GivenSection,
        Code,
    }

    /// <summary>A feature with a well-known key: how to register it each way, and where its secret lands.</summary>
    public sealed record Feature(
        string Name,
        string WellKnownKey,
        string SectionName,
        string SecretName,
        Action<IServiceCollection, Binding, IConfiguration, string?> Register,
        Func<IServiceProvider, string?> ReadSecret)
    {
        public override string ToString() => Name;
    }

    private static readonly Feature[] Features =
    [
        new(
            "Webhooks",
            "WEBHOOK_SECRET",
            ConvAiWebhookOptions.SectionName,
            nameof(ConvAiWebhookOptions.Secret),
            (services, binding, configuration, secret) => _ = binding switch
            {
                Binding.DefaultSection => services.AddConvAiWebhooks(),
                Binding.GivenSection => services.AddConvAiWebhooks(configuration.GetSection(ConvAiWebhookOptions.SectionName)),
                _ => services.AddConvAiWebhooks(o => o.Secret = secret),
            },
            provider => provider.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value.Secret),
        new(
            "TwilioInbound",
            "TWILIO_AUTH_TOKEN",
            TwilioInboundOptions.SectionName,
            nameof(TwilioInboundOptions.AuthToken),
            (services, binding, configuration, secret) => _ = binding switch
            {
                Binding.DefaultSection => services.AddConvAiTwilioInboundCalls(),
                Binding.GivenSection => services.AddConvAiTwilioInboundCalls(configuration.GetSection(TwilioInboundOptions.SectionName)),
                _ => services.AddConvAiTwilioInboundCalls(o => o.AuthToken = secret),
            },
            provider => provider.GetRequiredService<IOptions<TwilioInboundOptions>>().Value.AuthToken),
        new(
            "CoreClient",
            "ELEVENLABS_API_KEY",
            ConvAiTelephonyOptions.SectionName,
            nameof(ConvAiTelephonyOptions.ApiKey),
            (services, binding, configuration, secret) => _ = binding switch
            {
                Binding.DefaultSection => services.AddConvAiTelephony(),
                Binding.GivenSection => services.AddConvAiTelephony(configuration.GetSection(ConvAiTelephonyOptions.SectionName)),
                _ => services.AddConvAiTelephony(o => o.ApiKey = secret),
            },
            provider => provider.GetRequiredService<IOptions<ConvAiTelephonyOptions>>().Value.ApiKey),
    ];

    private static IEnumerable<TestCaseData> FeaturesAndBindings() =>
        from feature in Features
        from binding in Enum.GetValues<Binding>()
        select new TestCaseData(feature, binding).SetArgDisplayNames(feature.Name, binding.ToString());

    [TestCaseSource(nameof(FeaturesAndBindings))]
    public void WellKnownKey_NoSecretConfigured_FillsTheSecret(Feature feature, Binding binding)
    {
        using var provider = Build(feature, binding, configuredSecret: null, wellKnownValue: "from-environment");

        Assert.That(feature.ReadSecret(provider), Is.EqualTo("from-environment"));
    }

    [TestCaseSource(nameof(FeaturesAndBindings))]
    public void WellKnownKey_SecretConfigured_ConfiguredSecretWins(Feature feature, Binding binding)
    {
        using var provider = Build(feature, binding, configuredSecret: "configured", wellKnownValue: "from-environment");

        Assert.That(feature.ReadSecret(provider), Is.EqualTo("configured"));
    }

    [TestCaseSource(nameof(FeaturesAndBindings))]
    public void WellKnownKey_EmptyEverywhere_StartupFailsNamingBothKeys(Feature feature, Binding binding)
    {
        using var provider = Build(feature, binding, configuredSecret: null, wellKnownValue: "");

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(exception!.Message, Does.Contain($"{feature.SectionName}:{feature.SecretName}"));
        if (feature.Name != "CoreClient")
        {
            // The core's message is pinned by its own tests; the add-on's also name the well-known key.
            Assert.That(exception.Message, Does.Contain(feature.WellKnownKey));
        }
    }

    [Test]
    public void WebhookSecretKey_RotationSecretsConfigured_IsNotUsed()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(Configuration(new() { ["WEBHOOK_SECRET"] = "from-environment" }));
        services.AddConvAiWebhooks(o => o.Secrets.Add("rotated"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value;

        Assert.That((options.Secret, options.Secrets.Single()), Is.EqualTo(((string?)null, "rotated")));
    }

    [Test]
    public void Configure_OnEachBuilder_RunsAfterTheSectionBinding()
    {
        var configuration = Configuration(new()
        {
            ["ConvAi:Webhooks:Secret"] = "from-section",
            ["ConvAi:Twilio:AuthToken"] = "token",
            ["ConvAi:Twilio:AgentId"] = "agent_section",
            ["ConvAi:ConversationInitiation:Secret"] = "s",
            ["ConvAi:ConversationInitiation:HeaderName"] = "X-Section",
        });
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddConvAiWebhooks().Configure(o => o.Secret += "+code");
        services.AddConvAiTwilioInboundCalls().Configure(o => o.AgentId += "+code");
        services.AddConvAiConversationInitiation().Configure(o => o.HeaderName += "-Code");
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<IOptions<ConvAiWebhookOptions>>().Value.Secret, Is.EqualTo("from-section+code"));
            Assert.That(provider.GetRequiredService<IOptions<TwilioInboundOptions>>().Value.AgentId, Is.EqualTo("agent_section+code"));
            Assert.That(provider.GetRequiredService<IOptions<ConversationInitiationOptions>>().Value.HeaderName, Is.EqualTo("X-Section-Code"));
        });
    }

    [Test]
    public void Builders_AddHandlerAndRouter_RegisterScopedReplacingEarlierOnes()
    {
        var services = new ServiceCollection();
        services.AddScoped<ConvAiConversationInitiationHandler, FirstHandler>();
        services.AddScoped<ConvAiTwilioCallRouter, FirstRouter>();

        var initiation = services.AddConvAiConversationInitiation(o => o.Secret = "s");
        var twilio = services.AddConvAiTwilioInboundCalls(o => o.AuthToken = "t");

        Assert.Multiple(() =>
        {
            Assert.That(initiation.AddHandler<SecondHandler>(), Is.SameAs(initiation));
            Assert.That(twilio.AddRouter<SecondRouter>(), Is.SameAs(twilio));
            Assert.That(initiation.Services, Is.SameAs(services));
            Assert.That(twilio.Services, Is.SameAs(services));
            var handler = services.Single(d => d.ServiceType == typeof(ConvAiConversationInitiationHandler));
            Assert.That((handler.ImplementationType, handler.Lifetime), Is.EqualTo((typeof(SecondHandler), ServiceLifetime.Scoped)));
            var router = services.Single(d => d.ServiceType == typeof(ConvAiTwilioCallRouter));
            Assert.That((router.ImplementationType, router.Lifetime), Is.EqualTo((typeof(SecondRouter), ServiceLifetime.Scoped)));
        });
    }

    [TestCase("initiation", "services.AddConvAiConversationInitiation(...)")]
    [TestCase("initiation-di", "services.AddConvAiConversationInitiation(...)")]
    [TestCase("twilio", "services.AddConvAiTwilioInboundCalls(...)")]
    [TestCase("twilio-di", "services.AddConvAiTwilioInboundCalls(...)")]
    public void Map_WithoutTheFeatureRegistered_ThrowsNamingTheRegistration(string endpoint, string registration)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<ConvAiConversationInitiationHandler, FirstHandler>();
        using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => _ = endpoint switch
        {
            "initiation" => app.MapConvAiConversationInitiation("/i", (_, _) => ValueTask.FromResult(new ConversationInitiationResponse())),
            "initiation-di" => app.MapConvAiConversationInitiation("/i"),
            "twilio" => app.MapConvAiTwilioInboundCalls("/t", (_, _) => ValueTask.FromResult(TwilioCallRoute.ToAgent())),
            _ => app.MapConvAiTwilioInboundCalls("/t"),
        });

        Assert.That(exception!.Message, Does.Contain(registration));
    }

    [Test]
    public void MapConvAiConversationInitiation_NoHandlerRegistered_ThrowsNamingAddHandler()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddConvAiConversationInitiation(o => o.Secret = "s");
        using var app = builder.Build();

        var exception = Assert.Throws<InvalidOperationException>(() => app.MapConvAiConversationInitiation("/i"));

        Assert.That(exception!.Message, Does.Contain("AddHandler<THandler>()"));
    }

    [Test]
    public async Task Endpoints_RequestServicesWithoutTheirDependencies_StillAnswer()
    {
        // The endpoints hold what they need from when they were mapped: a request scope that lacks the options,
        // the logger factory and the clock does not change their answers.
        await using var app = await InboundTestHost.StartAsync(
            services =>
            {
                services.AddConvAiConversationInitiation(o => o.Secret = "initiation-secret");
                services.AddConvAiTwilioInboundCalls(o => o.DangerouslyDisableSignatureValidation = true);
            },
            app =>
            {
                app.Use(next => context =>
                {
                    context.RequestServices = new ServiceCollection().BuildServiceProvider();
                    return next(context);
                });
                app.MapConvAiConversationInitiation("/initiation", (_, _) => ValueTask.FromResult(new ConversationInitiationResponse { UserId = "u1" }));
                app.MapConvAiTwilioInboundCalls("/twilio", (_, _) => ValueTask.FromResult(TwilioCallRoute.Answer(TwiML.Reject())));
            },
            environment: "Development");
        using var client = app.GetTestClient();

        using var initiation = new HttpRequestMessage(HttpMethod.Post, "/initiation")
        {
            Content = new StringContent("""{"call_sid":"CA1"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        initiation.Headers.Add(ConversationInitiationOptions.DefaultHeaderName, "initiation-secret");
        using var initiationResponse = await client.SendAsync(initiation);
        using var twilioResponse = await client.PostAsync("/twilio", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CallSid"] = "CA1",
            ["From"] = "+14155550100",
            ["To"] = "+14155550199",
        }));

        Assert.Multiple(async () =>
        {
            Assert.That(initiationResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await initiationResponse.Content.ReadAsStringAsync(), Does.Contain("\"user_id\":\"u1\""));
            Assert.That(twilioResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await twilioResponse.Content.ReadAsStringAsync(), Is.EqualTo(TwiML.Reject()));
        });
    }

    private static ServiceProvider Build(Feature feature, Binding binding, string? configuredSecret, string wellKnownValue)
    {
        var settings = new Dictionary<string, string?> { [feature.WellKnownKey] = wellKnownValue };
        if (binding != Binding.Code && configuredSecret is not null)
        {
            settings[$"{feature.SectionName}:{feature.SecretName}"] = configuredSecret;
        }

        var configuration = Configuration(settings);
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        feature.Register(services, binding, configuration, configuredSecret);
        return services.BuildServiceProvider();
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private sealed class FirstHandler : ConvAiConversationInitiationHandler
    {
        public override ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ConversationInitiationResponse());
    }

    private sealed class SecondHandler : ConvAiConversationInitiationHandler
    {
        public override ValueTask<ConversationInitiationResponse> HandleAsync(ConversationInitiationRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ConversationInitiationResponse());
    }

    private sealed class FirstRouter : ConvAiTwilioCallRouter
    {
        public override ValueTask<TwilioCallRoute> RouteAsync(TwilioInboundCall call, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(TwilioCallRoute.ToAgent());
    }

    private sealed class SecondRouter : ConvAiTwilioCallRouter
    {
        public override ValueTask<TwilioCallRoute> RouteAsync(TwilioInboundCall call, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(TwilioCallRoute.ToAgent());
    }
}
