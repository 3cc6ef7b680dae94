using System.Diagnostics;

namespace ConvAi.Telephony;

/// <summary>
/// The outermost handler: one activity and one duration measurement per client request, retries included.
/// Tags hold the operation kind and status code only (no path, ids or query).
/// </summary>
internal sealed class TelemetryHandler : DelegatingHandler
{
    private readonly ConvAiTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;

    public TelemetryHandler(ConvAiTelemetry telemetry, TimeProvider timeProvider)
    {
        _telemetry = telemetry;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = RequestKinds.Tag(RequestKinds.Get(request));
        using var activity = ConvAiTelemetry.ActivitySource.StartActivity("ConvAi.Telephony " + kind, ActivityKind.Internal);
        activity?.SetTag(ConvAiTelephonyDiagnostics.OperationKindTag, kind);
        var started = _timeProvider.GetTimestamp();
        int? status = null;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            return response;
        }
        catch (ConvAiApiException ex)
        {
            status = (int)ex.StatusCode;
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        catch (Exception ex)
        {
            // The type only: messages of transport errors may carry host names and are not needed here.
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            if (status is { } code)
            {
                activity?.SetTag(ConvAiTelephonyDiagnostics.StatusCodeTag, code);
            }

            _telemetry.RequestDuration.Record(_timeProvider.GetElapsedTime(started).TotalSeconds, ConvAiTelemetry.Tags(kind, status));
        }
    }
}
