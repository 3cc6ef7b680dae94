using System.Threading.RateLimiting;

namespace ConvAi.Telephony;

/// <summary>The limiter supplied with <c>UseConcurrencyLimiter</c>, held once per container (which disposes it).</summary>
internal sealed class ConvAiConcurrencyLimiter(RateLimiter limiter) : IDisposable, IAsyncDisposable
{
    public RateLimiter Limiter { get; } = limiter;

    public void Dispose() => Limiter.Dispose();

    public ValueTask DisposeAsync() => Limiter.DisposeAsync();
}
