using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ConvAi.Telephony.AspNetCore.Redis.Tests;

/// <summary>
/// A throwaway redis-server on 127.0.0.1 and a free port, started by the test and killed after it, with one shared
/// <see cref="Connection"/> to it. Without the binary the calling test is ignored (reported as skipped, never as passed).
/// A fixture starts it once: <c>[OneTimeSetUp]</c> <c>_redis = await RedisServer.StartAsync()</c>, <c>[OneTimeTearDown]</c>
/// <c>await _redis.DisposeAsync()</c>, and each test uses its own key prefix.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private ConnectionMultiplexer? _connection;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server (the endpoint and <c>abortConnect=false</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>A connection to this server, made on first use and closed by <see cref="DisposeAsync"/>.</summary>
    public IConnectionMultiplexer Connection => _connection ??= ConnectionMultiplexer.Connect(Configuration);

    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        var binary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        if (binary is null)
        {
            Assert.Ignore("redis-server is not installed (scripts/install-test-deps.sh installs it).");
        }

        var chosenPort = port ?? FreePort();
        var process = Process.Start(new ProcessStartInfo(binary!, $"--port {chosenPort} --bind 127.0.0.1 --save '' --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, chosenPort);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, chosenPort);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(50); // waiting for a child process to listen, not a timing assertion
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException("redis-server did not start.");
    }

    /// <summary>A new connection of the caller's own (the caller disposes it), for tests that need more than one client.</summary>
    public async Task<IConnectionMultiplexer> ConnectAsync() => await ConnectionMultiplexer.ConnectAsync(Configuration);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
