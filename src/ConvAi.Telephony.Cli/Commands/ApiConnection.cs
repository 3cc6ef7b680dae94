using System.CommandLine;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary>
/// The client an API command uses: against ElevenLabs with <c>ELEVENLABS_API_KEY</c> (or <c>--api-key</c>, and
/// <c>--base-url</c> for another environment or a running <c>convai emulator</c>), or against an in-process emulator
/// with <c>--emulator</c> (optionally <c>--seed</c>). Disposing it stops that emulator.
/// </summary>
internal sealed class ApiConnection : IAsyncDisposable
{
    public const string ApiKeyVariable = "ELEVENLABS_API_KEY";
    public const string BaseUrlVariable = "ELEVENLABS_BASE_URL";

    private readonly HttpMessageHandler _handler;

    private ApiConnection(ConvAiTelephonyClient client, HttpMessageHandler handler, ConvAiEmulator? emulator)
    {
        Client = client;
        _handler = handler;
        Emulator = emulator;
    }

    public ConvAiTelephonyClient Client { get; }

    /// <summary>Gets the in-process emulator, when <c>--emulator</c> was given.</summary>
    public ConvAiEmulator? Emulator { get; }

    /// <summary>The connection options every API command takes.</summary>
    internal sealed class Options
    {
        public Option<string?> ApiKey { get; } = new("--api-key") { Description = $"The API key (default: ${ApiKeyVariable}). Prefer the variable: arguments show in process lists." };
        public Option<Uri?> BaseUrl { get; } = CliOptions.Url("--base-url", $"The API base URL (default: ${BaseUrlVariable}, else https://api.elevenlabs.io/), e.g. a running 'convai emulator'.");
        public Option<bool> Emulator { get; } = new("--emulator") { Description = "Run against an in-process emulator (no account needed); it stops when the command ends." };
        public Option<FileInfo?> Seed { get; } = new("--seed") { Description = "With --emulator: a seed file to load first (see docs/cli.md)." };
        public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON, for scripts." };

        public void AddTo(Command command)
        {
            command.Options.Add(ApiKey);
            command.Options.Add(BaseUrl);
            command.Options.Add(Emulator);
            command.Options.Add(Seed);
            command.Options.Add(Json);
        }
    }

    /// <summary>Creates a client for an address and key, with a handler the caller disposes through the returned connection.</summary>
    public static ConvAiTelephonyClient CreateClient(Uri baseAddress, string apiKey, HttpMessageHandler handler) =>
        new(new ConvAiTelephonyOptions { ApiKey = apiKey, BaseAddress = baseAddress }, handler);

    /// <summary>Creates a connection for a standalone emulator's own seeding.</summary>
    public static ApiConnection ForEmulator(ConvAiEmulator emulator)
    {
        var handler = new SocketsHttpHandler();
        return new ApiConnection(CreateClient(emulator.BaseAddress, emulator.ApiKey, handler), handler, null);
    }

    /// <summary>Opens the connection the parsed options ask for.</summary>
    /// <exception cref="UsageException">No API key is available, or the options contradict each other.</exception>
    public static async Task<ApiConnection> OpenAsync(System.CommandLine.ParseResult parse, Options options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler();
        try
        {
            if (parse.GetValue(options.Emulator))
            {
                if (parse.GetValue(options.BaseUrl) is not null || parse.GetValue(options.ApiKey) is not null)
                {
                    throw new UsageException("--emulator runs its own server: leave out --base-url and --api-key.");
                }

                var seedFile = parse.GetValue(options.Seed);
                var seed = seedFile is null ? null : EmulatorSeed.Load(seedFile.FullName);
                var emulatorOptions = new ConvAiEmulatorOptions();
                seed?.ApplyTo(emulatorOptions);
                var emulator = await ConvAiEmulator.StartNewAsync(emulatorOptions, cancellationToken);
                var connection = new ApiConnection(CreateClient(emulator.BaseAddress, emulator.ApiKey, handler), handler, emulator);
                if (seed is not null)
                {
                    await seed.ApplyAsync(connection.Client, cancellationToken);
                }

                return connection;
            }

            if (parse.GetValue(options.Seed) is not null)
            {
                throw new UsageException("--seed only applies with --emulator.");
            }

            var apiKey = parse.GetValue(options.ApiKey) is { Length: > 0 } key ? key : environment.GetVariable(ApiKeyVariable);
            if (string.IsNullOrWhiteSpace(apiKey))
            {
                throw new UsageException($"no API key: set {ApiKeyVariable} (or pass --api-key), or use --emulator.");
            }

            var baseUrl = parse.GetValue(options.BaseUrl);
            if (baseUrl is null && environment.GetVariable(BaseUrlVariable) is { Length: > 0 } fromVariable
                && !Uri.TryCreate(fromVariable, UriKind.Absolute, out baseUrl))
            {
                throw new UsageException($"{BaseUrlVariable} is not an absolute URL.");
            }

            var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = apiKey, BaseAddress = baseUrl }, handler);
            return new ApiConnection(client, handler, null);
        }
        catch
        {
            handler.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }
}
