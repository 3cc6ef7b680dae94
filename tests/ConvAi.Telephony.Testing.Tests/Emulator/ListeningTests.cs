using System.Net;
using System.Net.Sockets;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>Where the emulator listens: a fixed port and address for standalone use (convai emulator, docker-compose).</summary>
public class ListeningTests
{
    [Test]
    public async Task Port_Fixed_ServesOnThatPort()
    {
        var port = FreePort();

        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions { Port = port });

        Assert.That(emulator.BaseAddress, Is.EqualTo(new Uri($"http://127.0.0.1:{port}/")));
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(emulator.BaseAddress, "/v1/convai/phone-numbers"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the emulator answers there");
    }

    [Test]
    public async Task ListenAddress_Any_NamesLoopbackInTheBaseAddress()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync(new ConvAiEmulatorOptions { ListenAddress = IPAddress.Any });

        Assert.That(emulator.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(emulator.BaseAddress.Port, Is.GreaterThan(0));
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(emulator.BaseAddress, "/v1/convai/phone-numbers"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase(-1)]
    [TestCase(65536)]
    public void Port_OutOfRange_IsRejectedAtConstruction(int port)
    {
        Assert.That(() => new ConvAiEmulator(new ConvAiEmulatorOptions { Port = port }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("options.Port"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
