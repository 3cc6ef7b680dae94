using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Refit;

namespace ConvAi.Telephony.Benchmarks.Tools;

/// <summary>
/// <c>--cold-start stack</c>: the hand-written program's two requests and DTOs, made through the stack the library is
/// built on and nothing of the library: a container, a named <see cref="HttpClient"/> from <c>IHttpClientFactory</c>, a
/// Refit generated client (<c>AddRefitGeneratedClient</c>), a Polly pipeline (timeout, retry, circuit breaker, attempt
/// timeout) from Polly.Extensions' registry in a <see cref="DelegatingHandler"/>, and System.Text.Json source generation.
/// Its cold start is the floor of any client on that stack: the library's ratio to it is what the library adds, its
/// ratio to the hand-written program what the stack costs.
/// </summary>
public static class StackFloor
{
    private const string Name = "stack-floor";

    /// <summary>Places the call and reads the conversation; prints what the hand-written program prints.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<int> RunAsync(Uri baseAddress, Action<string> phase)
    {
        phase("main");
        var services = new ServiceCollection();
        services.AddResiliencePipeline<string, HttpResponseMessage>(Name, static pipeline => pipeline
            .AddTimeout(TimeSpan.FromSeconds(120))
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // Only answers that cannot have placed a call: a GET that failed with 5xx or 429.
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Result is { RequestMessage.Method.Method: "GET", StatusCode: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError }),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>())
            .AddTimeout(TimeSpan.FromSeconds(30)));
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(HandWrittenJson.Default.Options));
        services.AddRefitGeneratedClient<IStackFloorApi>(_ => settings, Name)
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = baseAddress;
                client.DefaultRequestHeaders.Add("xi-api-key", Payloads.ApiKey);
            })
            .AddHttpMessageHandler(static sp => new ResilienceHandler(
                sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(Name)));
        await using var provider = services.BuildServiceProvider();
        var api = provider.GetRequiredService<IStackFloorApi>();
        phase("client resolved");
        var call = await api.StartTwilioCallAsync(ColdStart.HandWrittenCall());
        phase("call placed");
        var conversation = await api.GetConversationAsync(call.ConversationId!);
        phase("conversation read");
        Console.WriteLine($"{call.CallSid} {conversation.ConversationId} {conversation.Transcript.Count}");
        return 0;
    }

    /// <summary>Runs each request through the pipeline.</summary>
    private sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            try
            {
                return await pipeline.ExecuteAsync(
                    static (context, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendInner(state.Request, context.CancellationToken)),
                    context,
                    (Handler: this, Request: request));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }
        }

        private Task<HttpResponseMessage> SendInner(HttpRequestMessage request, CancellationToken cancellationToken) =>
            base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The two endpoints the cold-start programs call, declared for Refit.</summary>
public interface IStackFloorApi
{
    /// <summary>Places a Twilio outbound call.</summary>
    [Post("/v1/convai/twilio/outbound-call")]
    Task<OutboundCallResult> StartTwilioCallAsync([Body] OutboundCall request, CancellationToken cancellationToken = default);

    /// <summary>Reads one conversation.</summary>
    [Get("/v1/convai/conversations/{conversationId}")]
    Task<ConversationDetails> GetConversationAsync(string conversationId, CancellationToken cancellationToken = default);
}
