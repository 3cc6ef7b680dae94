using System.Reflection;

namespace ConvAi.Telephony;

/// <summary>Describes this library to the servers it talks to.</summary>
internal static class ConvAiTelephonyInfo
{
    /// <summary>The name used for the named HttpClient, the ActivitySource and the Meter.</summary>
    public const string Name = "ConvAi.Telephony";

    /// <summary>Gets the informational version of the assembly, without the source revision.</summary>
    public static string Version { get; } = GetVersion();

    private static string GetVersion()
    {
        var version = typeof(ConvAiTelephonyInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(ConvAiTelephonyInfo).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
