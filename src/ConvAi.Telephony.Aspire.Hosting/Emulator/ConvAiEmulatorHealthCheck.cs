using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>Healthy when the emulator answers an authenticated <c>GET /v1/convai/phone-numbers</c> with 200.</summary>
internal sealed class ConvAiEmulatorHealthCheck(ConvAiEmulatorResource resource) : IHealthCheck
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var baseUrl = await resource.PrimaryEndpoint.Property(EndpointProperty.Url).GetValueAsync(cancellationToken).ConfigureAwait(false);
            var apiKey = await resource.ApiKey.GetValueAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(baseUrl!), "/v1/convai/phone-numbers"));
            request.Headers.Add("xi-api-key", apiKey);
            using var response = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The emulator answered {(int)response.StatusCode}.");
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy("The emulator is not answering yet.", ex);
        }
    }
}
