namespace ConvAi.Telephony;

/// <summary>Describes this library to the servers it talks to.</summary>
internal static class ConvAiTelephonyInfo
{
    /// <summary>The name used for the named HttpClient, the ActivitySource and the Meter.</summary>
    public const string Name = "ConvAi.Telephony";
}
