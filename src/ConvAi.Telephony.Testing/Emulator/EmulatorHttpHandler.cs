namespace ConvAi.Telephony.Testing;

/// <summary>
/// Sends each request to the emulator's loopback address, keeping its path and query, whatever host it names.
/// </summary>
internal sealed class EmulatorHttpHandler : DelegatingHandler
{
    private readonly ConvAiEmulator _emulator;

    public EmulatorHttpHandler(ConvAiEmulator emulator)
        : base(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        _emulator = emulator;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await _emulator.StartAsync(cancellationToken).ConfigureAwait(false);
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            var target = _emulator.BaseAddress;
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
