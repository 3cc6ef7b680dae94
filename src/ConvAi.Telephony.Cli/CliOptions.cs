using System.CommandLine;

namespace ConvAi.Telephony.Cli;

/// <summary>Option shapes shared by several commands.</summary>
internal static class CliOptions
{
    /// <summary>An option holding an absolute http or https URL; anything else is a usage error (exit 2).</summary>
    public static Option<Uri?> Url(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"{name} must be an absolute http or https URL (got '{text}').");
            return null;
        },
    };
}
