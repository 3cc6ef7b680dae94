using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Client;

/// <summary>
/// One call through the whole library stack (DI-built named HttpClient, error and key handlers, resilience, Refit,
/// source-generated JSON) against the same call hand-written with <see cref="HttpClient"/>, over one in-memory handler.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientOverheadBenchmarks
{
    private ServiceProvider _services = null!;
    private IConvAiTelephonyClient _client = null!;
    private HandWrittenClient _handWritten = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_services, _client) = ClientFactory.Create(() => new CannedApiHandler(), ClientFactory.BaseAddress);
        _handWritten = new HandWrittenClient(new CannedApiHandler(), ClientFactory.BaseAddress);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written GET conversation")]
    [BenchmarkCategory("get")]
    public Task<Conversation> HandWrittenGet() => _handWritten.GetConversationAsync("conv_1");

    [Benchmark(Description = "Conversations.GetAsync")]
    [BenchmarkCategory("get")]
    public Task<Conversation> LibraryGet() => _client.Conversations.GetAsync("conv_1");

    [Benchmark(Baseline = true, Description = "hand-written POST outbound-call")]
    [BenchmarkCategory("call")]
    public Task<TwilioCallResult> HandWrittenStartCall() => _handWritten.StartTwilioCallAsync(ClientFactory.CallRequest);

    [Benchmark(Description = "Calls.StartTwilioCallAsync")]
    [BenchmarkCategory("call")]
    public Task<TwilioCallResult> LibraryStartCall() => _client.Calls.StartTwilioCallAsync(ClientFactory.CallRequest);
}
