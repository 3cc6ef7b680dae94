using ConvAi.Telephony.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConvAi.Telephony.Aspire.Tests.Docs;

/// <summary>The app-side C# of docs/aspire.md and the package README ("The app"), run against the emulator.</summary>
public class AspireDocsSnippets
{
    [Test]
    public async Task AddConvAiTelephonyClient_AsDocumented_CallsTheApiOfTheConnectionString()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["ConnectionStrings:convai"] = $"Endpoint={emulator.BaseAddress};ApiKey={emulator.ApiKey}";

        // docs/aspire.md: "The app"
        builder.AddConvAiTelephonyClient("convai");   // ConnectionStrings:convai = Endpoint=…;ApiKey=…
        // end of snippet

        using var host = builder.Build();
        var numbers = await host.Services.GetRequiredService<IConvAiTelephonyClient>().PhoneNumbers.ListAsync();

        Assert.That(numbers, Is.Empty);
        Assert.That(emulator.ReceivedRequests.Select(r => $"{r.Method} {r.Path}"), Is.EqualTo(new[] { "GET /v1/convai/phone-numbers" }));
    }
}
