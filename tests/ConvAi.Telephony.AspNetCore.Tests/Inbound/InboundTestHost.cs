using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.AspNetCore.Tests.Inbound;

/// <summary>Builds a minimal API application for the inbound endpoints on TestServer or on Kestrel (127.0.0.1, random port).</summary>
internal static class InboundTestHost
{
    public static async Task<WebApplication> StartAsync(
        Action<IServiceCollection> configureServices,
        Action<WebApplication> configureApp,
        string environment = "Production",
        bool useKestrel = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Logging.ClearProviders();
        if (useKestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        configureServices(builder.Services);
        var app = builder.Build();
        configureApp(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
