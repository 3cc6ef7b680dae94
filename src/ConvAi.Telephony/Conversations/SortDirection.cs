using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The order of a list. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<SortDirection>))]
public readonly struct SortDirection : IEquatable<SortDirection>, IExtensibleEnum<SortDirection>
{
    /// <summary>Initializes a new instance of the <see cref="SortDirection"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public SortDirection(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>Oldest first. Wire value <c>asc</c>.</summary>
    public static SortDirection Ascending { get; } = new("asc");

    /// <summary>Newest first (the default). Wire value <c>desc</c>.</summary>
    public static SortDirection Descending { get; } = new("desc");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(SortDirection left, SortDirection right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(SortDirection left, SortDirection right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="SortDirection"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator SortDirection(string value) => new(value);

    /// <summary>Creates a <see cref="SortDirection"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static SortDirection FromString(string value) => new(value);

    static SortDirection IExtensibleEnum<SortDirection>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(SortDirection other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SortDirection other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
