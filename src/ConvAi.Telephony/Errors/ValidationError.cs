namespace ConvAi.Telephony;

/// <summary>One entry of a 422 answer's <c>detail</c> array: which field was rejected and why.</summary>
/// <param name="Location">The path of the rejected value, such as <c>["body", "to_number"]</c> (<c>loc</c>).</param>
/// <param name="Message">The reason (<c>msg</c>).</param>
/// <param name="Type">The error type, such as <c>missing</c> (<c>type</c>).</param>
public sealed record ValidationError(IReadOnlyList<string> Location, string Message, string Type)
{
    /// <inheritdoc/>
    public override string ToString() => $"{string.Join('.', Location)}: {Message} ({Type})";
}
