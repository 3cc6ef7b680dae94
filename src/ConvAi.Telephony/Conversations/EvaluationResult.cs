using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The outcome of an evaluation, such as whether a call was successful. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<EvaluationResult>))]
public readonly struct EvaluationResult : IEquatable<EvaluationResult>, IExtensibleEnum<EvaluationResult>
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationResult"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public EvaluationResult(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The evaluation succeeded. Wire value <c>success</c>.</summary>
    public static EvaluationResult Success { get; } = new("success");

    /// <summary>The evaluation failed. Wire value <c>failure</c>.</summary>
    public static EvaluationResult Failure { get; } = new("failure");

    /// <summary>The outcome could not be determined. Wire value <c>unknown</c>.</summary>
    public static EvaluationResult Unknown { get; } = new("unknown");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(EvaluationResult left, EvaluationResult right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(EvaluationResult left, EvaluationResult right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="EvaluationResult"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator EvaluationResult(string value) => new(value);

    /// <summary>Creates a <see cref="EvaluationResult"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static EvaluationResult FromString(string value) => new(value);

    static EvaluationResult IExtensibleEnum<EvaluationResult>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(EvaluationResult other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EvaluationResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
