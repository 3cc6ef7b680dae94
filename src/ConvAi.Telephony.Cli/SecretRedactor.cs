namespace ConvAi.Telephony.Cli;

/// <summary>
/// The secrets of one command line (values of <c>--secret</c>, <c>--webhook-secret</c>, <c>--api-key</c>,
/// <c>--auth-token</c> and the <c>ELEVENLABS_API_KEY</c> and <c>TWILIO_AUTH_TOKEN</c> variables), masked in every error message the CLI prints, such as a parse error that
/// echoes a stray token or an exception message.
/// </summary>
internal sealed class SecretRedactor
{
    private const string Mask = "***";

    /// <summary>Values shorter than this are not masked: they would garble messages and are not real secrets.</summary>
    private const int MinimumLength = 4;

    private static readonly string[] SecretOptions = ["--secret", "--webhook-secret", "--api-key", "--auth-token"];

    private readonly string[] _secrets;

    private SecretRedactor(IEnumerable<string> secrets) =>
        _secrets = [.. secrets.Where(s => s.Trim().Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];

    public static SecretRedactor From(IReadOnlyList<string> args, CliEnvironment environment)
    {
        var secrets = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            foreach (var option in SecretOptions)
            {
                if (args[i] == option && i + 1 < args.Count)
                {
                    secrets.Add(args[i + 1]);
                }
                else if (args[i].Length > option.Length + 1 && args[i].StartsWith(option, StringComparison.Ordinal) && args[i][option.Length] is '=' or ':')
                {
                    secrets.Add(args[i][(option.Length + 1)..]);
                }
            }
        }

        if (environment.GetVariable(Commands.ApiConnection.ApiKeyVariable) is { } apiKey)
        {
            secrets.Add(apiKey);
        }

        if (environment.GetVariable(Commands.TwilioCommands.AuthTokenVariable) is { } authToken)
        {
            secrets.Add(authToken);
        }

        return new SecretRedactor(secrets);
    }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
