using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The outcome of an evaluation, such as whether a call was successful. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<EvaluationResult>))]
public sealed partial class EvaluationResult
{
    /// <summary>The evaluation succeeded. Wire value <c>success</c>.</summary>
    public static EvaluationResult Success { get; } = new("success");

    /// <summary>The evaluation failed. Wire value <c>failure</c>.</summary>
    public static EvaluationResult Failure { get; } = new("failure");

    /// <summary>The outcome could not be determined. Wire value <c>unknown</c>.</summary>
    public static EvaluationResult Unknown { get; } = new("unknown");
}
