using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Benchmarks.Client;

/// <summary>
/// <c>ListAllAsync</c> over pages of 100 conversations from an in-memory handler, 10 pages and 100 pages: the
/// allocation per item stays the same when the page count grows, so only one page is ever held. The hand-written
/// cursor loop is the baseline.
/// </summary>
[MemoryDiagnoser]
public class PagingBenchmarks
{
    private ServiceProvider _services = null!;
    private IConvAiTelephonyClient _client = null!;
    private HandWrittenClient _handWritten = null!;

    /// <summary>The number of pages the server returns.</summary>
    [Params(10, 100)]
    public int Pages { get; set; }

    /// <summary>Conversations per page (the API's maximum).</summary>
    public const int PageSize = 100;

    [GlobalSetup]
    public void Setup()
    {
        var pages = Enumerable.Range(0, Pages).Select(i => Payloads.ConversationPage(i, Pages, PageSize)).ToArray();
        (_services, _client) = ClientFactory.Create(() => new CannedApiHandler(pages), ClientFactory.BaseAddress);
        _handWritten = new HandWrittenClient(new CannedApiHandler(pages), ClientFactory.BaseAddress);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written cursor loop")]
    public async Task<int> HandWritten()
    {
        var count = 0;
        await foreach (var _ in _handWritten.ListAllConversationsAsync(PageSize))
        {
            count++;
        }

        return count;
    }

    [Benchmark(Description = "Conversations.ListAllAsync")]
    public async Task<int> ListAll()
    {
        var count = 0;
        await foreach (var _ in _client.Conversations.ListAllAsync(new ConversationListOptions { PageSize = PageSize }))
        {
            count++;
        }

        return count;
    }
}
