using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ConvAi.Telephony.Aspire;

/// <summary>Healthy when the API answers an authenticated phone-number list; the exception's type (never its message, which may hold a host name) describes a failure.</summary>
internal sealed class ConvAiTelephonyHealthCheck(IConvAiTelephonyClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.PhoneNumbers.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (ConvAiApiException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The API answered {(int)ex.StatusCode} ({ex.ErrorCode}).");
        }
        catch (HttpRequestException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The API cannot be reached ({ex.HttpRequestError}).");
        }
    }
}
