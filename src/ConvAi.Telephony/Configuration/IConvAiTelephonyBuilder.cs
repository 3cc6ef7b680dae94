using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony;

/// <summary>Returned by <c>AddConvAiTelephony</c> to keep configuring the client, e.g. its HttpClient.</summary>
public interface IConvAiTelephonyBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the builder of the named HttpClient <c>"ConvAi.Telephony"</c> shared by every API area.</summary>
    IHttpClientBuilder HttpClientBuilder { get; }
}

/// <summary>The default <see cref="IConvAiTelephonyBuilder"/>.</summary>
internal sealed class ConvAiTelephonyBuilder(IServiceCollection services, IHttpClientBuilder httpClientBuilder) : IConvAiTelephonyBuilder
{
    public IServiceCollection Services { get; } = services;

    public IHttpClientBuilder HttpClientBuilder { get; } = httpClientBuilder;
}
