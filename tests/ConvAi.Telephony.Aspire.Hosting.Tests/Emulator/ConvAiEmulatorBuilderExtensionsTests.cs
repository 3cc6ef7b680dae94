using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

// GetArgumentValuesAsync / GetEnvironmentVariableValuesAsync are marked obsolete in Aspire 13.6 in favour of
// ExecutionConfigurationBuilder, but remain the documented way to read a resource's values in unit tests.
#pragma warning disable CS0618

namespace ConvAi.Telephony.Aspire.Hosting.Tests;

/// <summary>The emulator resource's command line, the environment an app receives from it, and the publish-mode switch to the real API.</summary>
public class ConvAiEmulatorBuilderExtensionsTests
{
    [Test]
    public async Task RunMode_StartsTheEmulatorWithItsPortSecretsAndWebhookTarget_AndGivesTheAppTheSameValues()
    {
        var builder = RunBuilder();
        var convai = builder.AddConvAiEmulator("convai").WithCallStepDelay(TimeSpan.FromMilliseconds(150));
        var api = builder.AddExecutable("api", "dotnet", ".").WithHttpEndpoint(name: "http").WithReference(convai);
        convai.WithWebhookTarget(api, "/webhooks/elevenlabs");
        Allocate(convai.Resource, port: 5801, targetPort: 6001);
        Allocate(api.Resource, port: 5802, targetPort: 6002);

        var args = await convai.Resource.GetArgumentValuesAsync(DistributedApplicationOperation.Run);
        var env = await api.Resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);

        Assert.That(convai.Resource.Command, Is.EqualTo("dotnet"));
        Assert.That(args[0], Does.EndWith("convai.dll").And.Matches<string>(File.Exists));
        var apiKey = args[Array.IndexOf(args, "--api-key") + 1];
        var secret = args[Array.IndexOf(args, "--webhook-secret") + 1];
        Assert.That(args[1..], Is.EqualTo(new[]
        {
            "emulator", "--host", "127.0.0.1", "--port", "6001", "--api-key", apiKey, "--webhook-secret", secret,
            "--step-delay-ms", "150", "--webhook-url", "http://localhost:5802/webhooks/elevenlabs",
        }));
        Assert.That(apiKey, Does.Match("^emu_[0-9a-f]{32}$"));
        Assert.That(secret, Does.Match("^whsec_emu_[0-9a-f]{32}$"));
        Assert.That(env["ConnectionStrings__convai"], Is.EqualTo($"Endpoint=http://localhost:5801;ApiKey={apiKey}"));
        Assert.That(env["ConvAi__Webhooks__Secret"], Is.EqualTo(secret));
        Assert.That(env["ConvAi__Twilio__AuthToken"], Does.Match("^[0-9a-f]{32}$"));
        Assert.That(builder.Resources.OfType<ConvAiEmulatorResource>().Single().IsEmulator, Is.True);
    }

    [Test]
    public async Task RunMode_WithoutAWebhookTarget_SendsNoWebhookUrl_AndKeepsTheDefaultStepDelay()
    {
        var builder = RunBuilder();
        var convai = builder.AddConvAiEmulator("convai");
        Allocate(convai.Resource, port: 5801, targetPort: 6001);

        var args = await convai.Resource.GetArgumentValuesAsync(DistributedApplicationOperation.Run);

        Assert.That(args, Has.No.Member("--webhook-url"));
        Assert.That(args[Array.IndexOf(args, "--step-delay-ms") + 1], Is.EqualTo("2000"));
    }

    [Test]
    public async Task PublishMode_AppGetsTheRealApiAndSecretParameters_AndNothingRunsForTheApi()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--operation", "publish", "--publisher", "manifest", "--output-path", Path.GetTempPath()],
            AssemblyName = typeof(ConvAiEmulatorBuilderExtensionsTests).Assembly.GetName().Name,
            DisableDashboard = true,
        });
        var convai = builder.AddConvAiEmulator("convai");
        var api = builder.AddExecutable("api", "dotnet", ".").WithHttpEndpoint(name: "http").WithReference(convai, "telephony");
        convai.WithWebhookTarget(api, "/webhooks/elevenlabs");

        var env = await api.Resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);

        Assert.That(env["ConnectionStrings__telephony"], Is.EqualTo("Endpoint=https://api.elevenlabs.io;ApiKey={convai-api-key.value}"));
        Assert.That(env["ConvAi__Webhooks__Secret"], Is.EqualTo("{convai-webhook-secret.value}"));
        Assert.That(env["ConvAi__Twilio__AuthToken"], Is.EqualTo("{convai-twilio-auth-token.value}"));
        var parameters = builder.Resources.OfType<ParameterResource>().ToDictionary(p => p.Name);
        Assert.That(parameters.Keys, Is.EquivalentTo(new[] { "convai-api-key", "convai-webhook-secret", "convai-twilio-auth-token" }));
        Assert.That(parameters.Values.Select(p => p.Secret), Is.All.True);
        Assert.That(builder.Resources.OfType<ConvAiEmulatorResource>(), Is.Empty, "the real API is not a resource that runs or publishes");
        Assert.That(convai.Resource.IsEmulator, Is.False);
    }

    [Test]
    public async Task PublishMode_GivenParameters_AreUsedInsteadOfNewOnes()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--operation", "publish", "--publisher", "manifest", "--output-path", Path.GetTempPath()],
            DisableDashboard = true,
        });
        var key = builder.AddParameter("elevenlabs-key", secret: true);
        var secret = builder.AddParameter("elevenlabs-webhook-secret", secret: true);
        var token = builder.AddParameter("twilio-token", secret: true);
        var convai = builder.AddConvAiEmulator("convai", apiKey: key, webhookSecret: secret, twilioAuthToken: token);
        var api = builder.AddExecutable("api", "dotnet", ".").WithReference(convai);

        var env = await api.Resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);

        Assert.That(env["ConnectionStrings__convai"], Is.EqualTo("Endpoint=https://api.elevenlabs.io;ApiKey={elevenlabs-key.value}"));
        Assert.That(env["ConvAi__Webhooks__Secret"], Is.EqualTo("{elevenlabs-webhook-secret.value}"));
        Assert.That(env["ConvAi__Twilio__AuthToken"], Is.EqualTo("{twilio-token.value}"));
        Assert.That(builder.Resources.OfType<ParameterResource>().Select(p => p.Name), Is.EquivalentTo(new[] { "elevenlabs-key", "elevenlabs-webhook-secret", "twilio-token" }));
    }

    [Test]
    public void RunMode_WithoutTheEmulatorPathInTheAppHostAssembly_ThrowsSayingHowToFixIt()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            AssemblyName = typeof(ConvAiEmulatorBuilderExtensionsTests).Assembly.GetName().Name,
            DisableDashboard = true,
        });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddConvAiEmulator("convai"));

        Assert.That(error!.Message, Does.Contain("ConvAi.Telephony.Aspire.Hosting.EmulatorPath").And.Contain("ConvAiEmulatorPath"));
    }

    [TestCase("webhooks/elevenlabs")]
    [TestCase("")]
    public void WithWebhookTarget_PathNotStartingWithSlash_ThrowsArgumentException(string path)
    {
        var builder = RunBuilder();
        var convai = builder.AddConvAiEmulator("convai");
        var api = builder.AddExecutable("api", "dotnet", ".").WithHttpEndpoint(name: "http");

        var error = Assert.Catch<ArgumentException>(() => convai.WithWebhookTarget(api, path));

        Assert.That(error!.ParamName, Is.EqualTo("path"));
    }

    [Test]
    public void WithCallStepDelay_Negative_ThrowsArgumentOutOfRangeException()
    {
        var convai = RunBuilder().AddConvAiEmulator("convai");

        Assert.Throws<ArgumentOutOfRangeException>(() => convai.WithCallStepDelay(TimeSpan.FromMilliseconds(-1)));
    }

    /// <summary>A run-mode builder whose AppHost assembly is samples/AppHost, which names the emulator program.</summary>
    private static IDistributedApplicationBuilder RunBuilder() => DistributedApplication.CreateBuilder(new DistributedApplicationOptions
    {
        Args = [],
        AssemblyName = "AppHost",
        DisableDashboard = true,
    });

    private static void Allocate(IResource resource, int port, int targetPort)
    {
        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.TargetPort = targetPort;
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
    }
}
