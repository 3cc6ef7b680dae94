using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>The ways an app can receive webhooks; every status test runs through each.</summary>
public enum WebhookSurface
{
    /// <summary><c>MapConvAiWebhooks</c> dispatching to a <see cref="ConvAiWebhookHandler"/>.</summary>
    Endpoint,

    /// <summary>A minimal <see cref="RequestDelegate"/> endpoint marked <c>RequireConvAiWebhookSignature()</c>.</summary>
    MarkedEndpoint,

    /// <summary>A minimal endpoint with a typed <c>[FromBody]</c> parameter, marked <c>RequireConvAiWebhookSignature()</c>.</summary>
    TypedEndpoint,

    /// <summary>A minimal endpoint inside a route group marked <c>RequireConvAiWebhookSignature()</c>.</summary>
    MarkedGroup,

    /// <summary>An MVC action without the attribute, under <c>MapControllers().RequireConvAiWebhookSignature()</c>.</summary>
    MarkedControllers,

    /// <summary>An MVC action marked <c>[ConvAiWebhook]</c> (its resource filter), under a plain <c>MapControllers()</c>.</summary>
    AttributedAction,
}

/// <summary>Records what reached the app and lets a test make the app fail.</summary>
public sealed class WebhookRecorder
{
    public ConcurrentQueue<ConvAiWebhookEvent> Events { get; } = new();

    public ConcurrentQueue<byte[]> Audio { get; } = new();

    /// <summary>The <c>type</c> that typed endpoints bound from the body, one per call that reached them.</summary>
    public ConcurrentQueue<string?> BoundTypes { get; } = new();

    /// <summary>How many times the app's own code (endpoint, action or handler) was entered, before it read anything.</summary>
    public int Reached => Volatile.Read(ref _reached);

    private int _reached;

    /// <summary>Called first by every piece of the app's code under test.</summary>
    public WebhookRecorder Enter()
    {
        Interlocked.Increment(ref _reached);
        return this;
    }

    /// <summary>A status the app's own endpoints answer after recording (e.g. a 5xx); null answers 200.</summary>
    public int? StatusToAnswer { get; set; }

    /// <summary>Number of calls still to fail with an exception.</summary>
    public int FailuresToThrow;

    /// <summary>Runs first on every event that reaches the app (e.g. to read its data); an exception fails the call.</summary>
    public Action<ConvAiWebhookEvent>? Inspect { get; set; }

    public async Task RecordAsync(ConvAiWebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        if (webhookEvent is PostCallAudioEvent audio)
        {
            using var sink = new MemoryStream();
            await audio.CopyAudioToAsync(sink, cancellationToken);
            Audio.Enqueue(sink.ToArray());
        }

        Inspect?.Invoke(webhookEvent);
        if (Interlocked.Decrement(ref FailuresToThrow) >= 0)
        {
            throw new InvalidOperationException("The app's storage is down.");
        }

        Events.Enqueue(webhookEvent);
    }
}

/// <summary>The app's handler for the endpoint surface: records every event kind.</summary>
public sealed class RecordingWebhookHandler(WebhookRecorder recorder) : ConvAiWebhookHandler
{
    public override Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default) =>
        recorder.Enter().RecordAsync(webhookEvent, cancellationToken);

    public override Task OnPostCallAudioAsync(PostCallAudioEvent webhookEvent, CancellationToken cancellationToken = default) =>
        recorder.Enter().RecordAsync(webhookEvent, cancellationToken);

    public override Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default) =>
        recorder.Enter().RecordAsync(webhookEvent, cancellationToken);

    public override Task OnUnknownEventAsync(UnknownWebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
        recorder.Enter().RecordAsync(webhookEvent, cancellationToken);
}

/// <summary>An MVC controller whose action is marked <c>[ConvAiWebhook]</c>.</summary>
[ApiController]
[Route(WebhookTestHost.ControllerPath)]
public sealed class WebhookTestController(WebhookRecorder recorder) : ControllerBase
{
    [HttpPost]
    [ConvAiWebhook]
    public async Task<IActionResult> ReceiveAsync()
    {
        await recorder.Enter().RecordAsync(HttpContext.GetConvAiWebhookEvent(), HttpContext.RequestAborted);
        return StatusCode(recorder.StatusToAnswer ?? StatusCodes.Status200OK);
    }
}

/// <summary>An MVC controller without the attribute that binds the body: marked only by <c>MapControllers().RequireConvAiWebhookSignature()</c>.</summary>
[ApiController]
[Route(WebhookTestHost.PlainControllerPath)]
public sealed class PlainWebhookTestController(WebhookRecorder recorder) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> ReceiveAsync([FromBody] WebhookBody body)
    {
        recorder.Enter().BoundTypes.Enqueue(body.Type);
        var webhookEvent = HttpContext.GetConvAiWebhookEvent();
        await recorder.RecordAsync(webhookEvent, HttpContext.RequestAborted);
        return StatusCode(recorder.StatusToAnswer ?? StatusCodes.Status200OK);
    }
}

/// <summary>What a typed endpoint binds from the (verified) body.</summary>
public sealed record WebhookBody([property: System.Text.Json.Serialization.JsonPropertyName("type")] string? Type);

/// <summary>An inbox that takes nothing: always full for a queued delivery, failing for a dead letter.</summary>
public sealed class RefusingWebhookInbox : IConvAiWebhookInbox
{
    public ValueTask<bool> TryEnqueueAsync(ConvAiWebhookDelivery delivery, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

    public ValueTask<string> AddDeadLetterAsync(ConvAiWebhookDelivery delivery, string failure, CancellationToken cancellationToken = default) =>
        throw new IOException("The inbox is down.");

    public async ValueTask<ConvAiWebhookInboxItem> LeaseAsync(CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new OperationCanceledException(cancellationToken);
    }

    public ValueTask CompleteAsync(ConvAiWebhookInboxItem item, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask RetryLaterAsync(ConvAiWebhookInboxItem item, DateTimeOffset dueAt, string? failure, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask DeadLetterAsync(ConvAiWebhookInboxItem item, string failure, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<IReadOnlyList<ConvAiWebhookInboxItem>> ListDeadLettersAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<ConvAiWebhookInboxItem>>([]);

    public ValueTask<bool> RedriveAsync(string id, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}

/// <summary>An app under test (TestServer or Kestrel on 127.0.0.1), with a fake clock and captured logs.</summary>
public sealed class WebhookTestHost : IAsyncDisposable
{
    public const string EndpointPath = "/webhooks/elevenlabs";
    public const string MinimalPath = "/minimal/hooks";
    public const string GroupPath = "/group";
    public const string ControllerPath = "mvc/hooks";
    public const string PlainControllerPath = "mvc/plain-hooks";

    private readonly WebApplication _app;

    private WebhookTestHost(WebApplication app, WebhookSurface surface, HttpClient client)
    {
        _app = app;
        Client = client;
        Path = surface switch
        {
            WebhookSurface.Endpoint => EndpointPath,
            WebhookSurface.MarkedEndpoint or WebhookSurface.TypedEndpoint => MinimalPath,
            WebhookSurface.MarkedGroup => GroupPath + MinimalPath,
            WebhookSurface.MarkedControllers => "/" + PlainControllerPath,
            _ => "/" + ControllerPath,
        };
    }

    public HttpClient Client { get; }

    public string Path { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A handler that sends requests into the app (TestServer only), e.g. for the emulator's webhooks.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public WebhookRecorder Recorder => _app.Services.GetRequiredService<WebhookRecorder>();

    public FakeTimeProvider Time => (FakeTimeProvider)_app.Services.GetRequiredService<TimeProvider>();

    public FakeLogCollector Logs => _app.Services.GetRequiredService<FakeLogCollector>();

    public static async Task<WebhookTestHost> StartAsync(
        WebhookSurface surface,
        Action<ConvAiWebhookOptions>? configure = null,
        bool kestrel = false,
        Action<IConvAiWebhooksBuilder>? webhooks = null,
        Action<IServiceCollection>? services = null,
        Action<IEndpointConventionBuilder>? endpoint = null,
        bool forwardedHeaders = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddFakeLogging();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(WebhookFixtures.Now));
        builder.Services.AddSingleton<WebhookRecorder>();
        var webhooksBuilder = builder.Services
            .AddConvAiWebhooks(options =>
            {
                options.Secret = WebhookFixtures.Secret;
                configure?.Invoke(options);
            })
            .AddHandler<RecordingWebhookHandler>();
        webhooks?.Invoke(webhooksBuilder);
        services?.Invoke(builder.Services);
        if (surface is WebhookSurface.MarkedControllers or WebhookSurface.AttributedAction)
        {
            builder.Services.AddControllers().AddApplicationPart(typeof(WebhookTestController).Assembly);
        }

        var app = builder.Build();
        if (forwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        switch (surface)
        {
            case WebhookSurface.Endpoint:
                var mapped = app.MapConvAiWebhooks(EndpointPath);
                endpoint?.Invoke(mapped);
                break;
            default:
                // Stands in for the app's exception handler, which turns an exception into a 500.
                app.Use(async (context, next) =>
                {
                    try
                    {
                        await next(context);
                    }
                    catch (InvalidOperationException)
                    {
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    }
                });
                var marked = MapSurface(app, surface);
                endpoint?.Invoke(marked);
                break;
        }

        await app.StartAsync();
        HttpClient client;
        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        }
        else
        {
            client = app.GetTestClient();
        }

        return new WebhookTestHost(app, surface, client);
    }

    /// <summary>Maps the app's own endpoint for a marked surface; no middleware is added for any of them.</summary>
    private static IEndpointConventionBuilder MapSurface(WebApplication app, WebhookSurface surface)
    {
        static async Task Record(HttpContext context)
        {
            var recorder = context.RequestServices.GetRequiredService<WebhookRecorder>().Enter();
            await recorder.RecordAsync(context.GetConvAiWebhookEvent(), context.RequestAborted);
            context.Response.StatusCode = recorder.StatusToAnswer ?? StatusCodes.Status200OK;
        }

        switch (surface)
        {
            case WebhookSurface.MarkedEndpoint:
                return app.MapPost(MinimalPath, (RequestDelegate)Record).RequireConvAiWebhookSignature();
            case WebhookSurface.TypedEndpoint:
                return app.MapPost(MinimalPath, async ([FromBody] WebhookBody body, HttpContext context, WebhookRecorder recorder) =>
                {
                    recorder.Enter().BoundTypes.Enqueue(body.Type);
                    await recorder.RecordAsync(context.GetConvAiWebhookEvent(), context.RequestAborted);
                    return Results.StatusCode(recorder.StatusToAnswer ?? StatusCodes.Status200OK);
                }).RequireConvAiWebhookSignature();
            case WebhookSurface.MarkedGroup:
                var group = app.MapGroup(GroupPath).RequireConvAiWebhookSignature();
                group.MapPost(MinimalPath, (RequestDelegate)Record);
                return group;
            case WebhookSurface.MarkedControllers:
                return app.MapControllers().RequireConvAiWebhookSignature();
            default:
                return app.MapControllers();
        }
    }

    /// <summary>Posts a body with a signature header (omitted when null) and a content type (omitted when null).</summary>
    public async Task<HttpStatusCode> PostAsync(byte[] body, string? signature, string? contentType = "application/json", bool chunked = false, int chunkSize = 8192)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path);
        HttpContent content = chunked ? new ChunkedContent(body, chunkSize) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Content = content;
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(ConvAiWebhookSignature.HeaderName, signature);
        }

        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Waits (up to 10 s of real time, polling) until <paramref name="condition"/> holds, for work the inbox processor
    /// does in the background; the caller asserts afterwards, so a timeout shows as a failed assertion, not a hang.
    /// </summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until the app recorded at least <paramref name="count"/> events (see <see cref="EventuallyAsync"/>).</summary>
    public Task WaitForEventsAsync(int count) => EventuallyAsync(() => Recorder.Events.Count >= count);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Content without a length (sent chunked), written in small pieces.</summary>
    private sealed class ChunkedContent(byte[] body, int chunkSize) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += chunkSize)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(chunkSize, body.Length - offset)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
