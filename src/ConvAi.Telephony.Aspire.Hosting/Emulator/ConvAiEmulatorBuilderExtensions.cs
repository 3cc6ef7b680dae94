using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>Adds the ElevenLabs telephony API (the ConvAi.Telephony emulator in run mode) to an AppHost and wires apps to it.</summary>
public static class ConvAiEmulatorBuilderExtensions
{
    /// <summary>The key of the AppHost assembly's <see cref="AssemblyMetadataAttribute"/> naming the emulator program (set by this package's build targets).</summary>
    public const string EmulatorPathMetadataKey = "ConvAi.Telephony.Aspire.Hosting.EmulatorPath";

    /// <summary>
    /// Adds the ElevenLabs telephony API as a resource. In run mode it starts the ConvAi.Telephony emulator
    /// (<c>dotnet convai.dll emulator</c>, shipped in this package; no container runtime) with an HTTP endpoint, a
    /// health check and its log in the dashboard, and a generated API key, webhook secret and Twilio auth token. In
    /// publish mode it starts nothing: the connection names the real API, and the API key, webhook secret and Twilio
    /// auth token are secret parameters (<c>{name}-api-key</c>, <c>{name}-webhook-secret</c>,
    /// <c>{name}-twilio-auth-token</c>, unless given here).
    /// </summary>
    /// <param name="builder">The AppHost builder.</param>
    /// <param name="name">The resource name, also the connection name apps read (<c>ConnectionStrings:{name}</c>).</param>
    /// <param name="port">The emulator's port on the host; null picks a free one.</param>
    /// <param name="apiKey">The real API key parameter (publish mode); null adds <c>{name}-api-key</c>.</param>
    /// <param name="webhookSecret">The real webhook secret parameter (publish mode); null adds <c>{name}-webhook-secret</c>.</param>
    /// <param name="twilioAuthToken">The Twilio auth token parameter (publish mode); null adds <c>{name}-twilio-auth-token</c>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<ConvAiEmulatorResource> AddConvAiEmulator(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        int? port = null,
        IResourceBuilder<ParameterResource>? apiKey = null,
        IResourceBuilder<ParameterResource>? webhookSecret = null,
        IResourceBuilder<ParameterResource>? twilioAuthToken = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        if (builder.ExecutionContext.IsPublishMode)
        {
            var secrets = new ConvAiSecrets(
                Parameter(builder, apiKey, $"{name}-api-key"),
                Parameter(builder, webhookSecret, $"{name}-webhook-secret"),
                Parameter(builder, twilioAuthToken, $"{name}-twilio-auth-token"));

            // Nothing runs and nothing is published for the API itself: the apps that reference it receive its
            // connection (with the parameters) in their own environment.
            return builder.CreateResourceBuilder(new ConvAiEmulatorResource(name, "dotnet", builder.AppHostDirectory, isEmulator: false, secrets));
        }

        var emulatorPath = FindEmulator(builder);
        var generated = new ConvAiSecrets(
            Constant("emu_" + RandomHex(16)),
            Constant("whsec_emu_" + RandomHex(16)),
            Constant(RandomHex(16)));
        var resource = new ConvAiEmulatorResource(name, "dotnet", Path.GetDirectoryName(emulatorPath)!, isEmulator: true, generated);

        var healthCheckKey = $"{name}_convai_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new ConvAiEmulatorHealthCheck(resource),
            failureStatus: default,
            tags: default));

        return builder.AddResource(resource)
            .WithHttpEndpoint(port: port, name: ConvAiEmulatorResource.HttpEndpointName)
            .WithArgs(context =>
            {
                context.Args.Add(emulatorPath);
                context.Args.Add("emulator");
                context.Args.Add("--host");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--api-key");
                context.Args.Add(resource.ApiKey);
                context.Args.Add("--webhook-secret");
                context.Args.Add(resource.WebhookSecret);
                context.Args.Add("--step-delay-ms");
                context.Args.Add(((long)resource.StepDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
                if (resource.WebhookUrl is { } webhookUrl)
                {
                    context.Args.Add("--webhook-url");
                    context.Args.Add(webhookUrl);
                }
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Call")
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Tells the emulator where to send its signed post-call webhooks: <paramref name="path"/> on
    /// <paramref name="target"/>'s endpoint (for example <c>.WithWebhookTarget(api, "/webhooks/elevenlabs")</c>).
    /// Give the target the secret with <c>target.WithReference(emulator)</c>. In publish mode this does nothing: the
    /// webhook URL of the real API is set in the ElevenLabs dashboard.
    /// </summary>
    /// <typeparam name="T">The target's resource type.</typeparam>
    /// <param name="builder">The emulator.</param>
    /// <param name="target">The app that receives the webhooks.</param>
    /// <param name="path">The path of its webhook endpoint, starting with <c>/</c>.</param>
    /// <param name="endpointName">The target's endpoint to use (default <c>http</c>).</param>
    /// <returns>The emulator, for chaining.</returns>
    public static IResourceBuilder<ConvAiEmulatorResource> WithWebhookTarget<T>(
        this IResourceBuilder<ConvAiEmulatorResource> builder,
        IResourceBuilder<T> target,
        string path,
        string endpointName = "http")
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"The webhook path must start with '/': '{path}'.", nameof(path));
        }

        if (!builder.Resource.IsEmulator)
        {
            return builder;
        }

        var endpoint = target.GetEndpoint(endpointName);
        builder.Resource.WebhookUrl = ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Url)}{path}");
        return builder.WithReferenceRelationship(target.Resource);
    }

    /// <summary>
    /// Sets how long each emulated call stays in each status (<c>initiated</c>, <c>in-progress</c>, <c>processing</c>)
    /// before it is done and its webhook is sent. The default is 2 seconds.
    /// </summary>
    /// <param name="builder">The emulator.</param>
    /// <param name="delay">The time per status, zero or more.</param>
    /// <returns>The emulator, for chaining.</returns>
    public static IResourceBuilder<ConvAiEmulatorResource> WithCallStepDelay(this IResourceBuilder<ConvAiEmulatorResource> builder, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        builder.Resource.StepDelay = delay;
        return builder;
    }

    /// <summary>
    /// Gives an app what it needs from the API: <c>ConnectionStrings__{connectionName}</c>
    /// (<c>Endpoint=…;ApiKey=…</c>), the webhook secret (<c>ConvAi__Webhooks__Secret</c>) and the Twilio auth token
    /// (<c>ConvAi__Twilio__AuthToken</c>). Against the emulator these are its address and generated secrets; in publish
    /// mode the real API's address and the secret parameters.
    /// </summary>
    /// <typeparam name="TDestination">The app's resource type.</typeparam>
    /// <param name="builder">The app.</param>
    /// <param name="source">The API resource from <see cref="AddConvAiEmulator"/>.</param>
    /// <param name="connectionName">The connection name; null uses the resource name.</param>
    /// <returns>The app, for chaining.</returns>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder,
        IResourceBuilder<ConvAiEmulatorResource> source,
        string? connectionName = null)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        var resource = source.Resource;
        if (resource.IsEmulator)
        {
            builder.WithReferenceRelationship(resource);
        }

        return builder
            .WithEnvironment($"ConnectionStrings__{connectionName ?? resource.Name}", resource.ConnectionStringExpression)
            .WithEnvironment("ConvAi__Webhooks__Secret", resource.WebhookSecret)
            .WithEnvironment("ConvAi__Twilio__AuthToken", resource.TwilioAuthToken);
    }

    private static ReferenceExpression Parameter(IDistributedApplicationBuilder builder, IResourceBuilder<ParameterResource>? given, string name)
    {
        var parameter = given ?? builder.AddParameter(name, secret: true);
        return ReferenceExpression.Create($"{parameter.Resource}");
    }

    private static ReferenceExpression Constant(string value) => ReferenceExpression.Create($"{value}");

    private static string RandomHex(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    private static string FindEmulator(IDistributedApplicationBuilder builder)
    {
        var path = builder.AppHostAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == EmulatorPathMetadataKey)?.Value;
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException(
                $"The AppHost assembly does not say where the ConvAi emulator is (no [AssemblyMetadata(\"{EmulatorPathMetadataKey}\", …)]). " +
                "Reference the ConvAi.Telephony.Aspire.Hosting package from the AppHost project (its build targets add it), or set the MSBuild property ConvAiEmulatorPath and import those targets.");
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The ConvAi emulator program is not at '{path}'. Restore and build the AppHost again.");
        }

        return path;
    }
}
