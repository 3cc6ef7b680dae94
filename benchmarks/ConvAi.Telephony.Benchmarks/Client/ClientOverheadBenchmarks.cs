using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Client;

/// <summary>
/// One call through the whole library stack (DI-built named HttpClient, error and key handlers, resilience, Refit,
/// source-generated JSON) against the same call hand-written with <see cref="HttpClient"/>, over one in-memory handler.
/// Two intermediate steps show where the difference goes: the hand-written call over the library's named HttpClient
/// (its handler pipeline only), and the internal Refit interface over that pipeline (no client-class logic).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientOverheadBenchmarks
{
    private ServiceProvider _services = null!;
    private IConvAiTelephonyClient _client = null!;
    private HandWrittenClient _handWritten = null!;
    private HandWrittenClient _overPipeline = null!;
    private ICallsApi _callsApi = null!;
    private IConversationsApi _conversationsApi = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_services, _client) = ClientFactory.Create(() => new CannedApiHandler(), ClientFactory.BaseAddress);
        _handWritten = new HandWrittenClient(new CannedApiHandler(), ClientFactory.BaseAddress);
        _overPipeline = new HandWrittenClient(_services.GetRequiredService<IHttpClientFactory>().CreateClient(ConvAiTelephonyInfo.Name));
        _callsApi = _services.GetRequiredService<ICallsApi>();
        _conversationsApi = _services.GetRequiredService<IConversationsApi>();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written GET conversation")]
    [BenchmarkCategory("get")]
    public Task<Conversation> HandWrittenGet() => _handWritten.GetConversationAsync("conv_1");

    [Benchmark(Description = "hand-written GET over the library's named HttpClient")]
    [BenchmarkCategory("get")]
    public Task<Conversation> PipelineGet() => _overPipeline.GetConversationAsync("conv_1");

    [Benchmark(Description = "Refit IConversationsApi.GetAsync over the pipeline")]
    [BenchmarkCategory("get")]
    public Task<Conversation> RefitGet() => _conversationsApi.GetAsync("conv_1", null, CancellationToken.None);

    [Benchmark(Description = "Conversations.GetAsync")]
    [BenchmarkCategory("get")]
    public Task<Conversation> LibraryGet() => _client.Conversations.GetAsync("conv_1");

    [Benchmark(Baseline = true, Description = "hand-written POST outbound-call")]
    [BenchmarkCategory("call")]
    public Task<TwilioCallResult> HandWrittenStartCall() => _handWritten.StartTwilioCallAsync(ClientFactory.CallRequest);

    [Benchmark(Description = "hand-written POST over the library's named HttpClient")]
    [BenchmarkCategory("call")]
    public Task<TwilioCallResult> PipelineStartCall() => _overPipeline.StartTwilioCallAsync(ClientFactory.CallRequest);

    [Benchmark(Description = "Refit ICallsApi.StartTwilioCallAsync over the pipeline")]
    [BenchmarkCategory("call")]
    public Task<TwilioCallResult> RefitStartCall() => _callsApi.StartTwilioCallAsync(ClientFactory.CallRequest, RequestKind.CallPlacing, CancellationToken.None);

    [Benchmark(Description = "Calls.StartTwilioCallAsync")]
    [BenchmarkCategory("call")]
    public Task<TwilioCallResult> LibraryStartCall() => _client.Calls.StartTwilioCallAsync(ClientFactory.CallRequest);
}
