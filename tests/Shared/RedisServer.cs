using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ConvAi.Telephony.Shared;

/// <summary>
/// A throwaway redis-server on 127.0.0.1 and a free port, killed on dispose, with one shared <see cref="Connection"/> to
/// it. One source file, linked into the Redis tests (which add <c>StartAsync</c>: a missing binary ignores the test) and
/// the webhook benchmarks (which skip their Redis target without it).
/// </summary>
internal sealed partial class RedisServer : IAsyncDisposable
{
    private static readonly string[] Binaries = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];
    private readonly Process _process;
    private ConnectionMultiplexer? _connection;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>Whether a redis-server binary is installed where <see cref="TryStartAsync"/> looks for one.</summary>
    public static bool IsInstalled => Array.Exists(Binaries, File.Exists);

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server (the endpoint and <c>abortConnect=false</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>A connection to this server, made on first use and closed by <see cref="DisposeAsync"/>.</summary>
    public IConnectionMultiplexer Connection => _connection ??= ConnectionMultiplexer.Connect(Configuration);

    /// <summary>Starts a server on <paramref name="port"/> (a free one when null) and waits until it listens; null when redis-server is not installed.</summary>
    public static async Task<RedisServer?> TryStartAsync(int? port = null)
    {
        var binary = Array.Find(Binaries, File.Exists);
        if (binary is null)
        {
            return null;
        }

        var chosenPort = port ?? FreePort();
        var process = Process.Start(new ProcessStartInfo(binary, $"--port {chosenPort} --bind 127.0.0.1 --save '' --appendonly no")
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

    /// <summary>A TCP port on 127.0.0.1 that nothing listened on a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
