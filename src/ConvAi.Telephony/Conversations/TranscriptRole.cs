using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>Who spoke a transcript entry. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<TranscriptRole>))]
public sealed partial class TranscriptRole
{
    /// <summary>The person on the phone. Wire value <c>user</c>.</summary>
    public static TranscriptRole User { get; } = new("user");

    /// <summary>The AI agent. Wire value <c>agent</c>.</summary>
    public static TranscriptRole Agent { get; } = new("agent");
}
