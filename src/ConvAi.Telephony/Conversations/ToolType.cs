using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The kind of tool behind a tool call or tool result. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ToolType>))]
public readonly struct ToolType : IEquatable<ToolType>, IExtensibleEnum<ToolType>
{
    /// <summary>Initializes a new instance of the <see cref="ToolType"/> struct.</summary>
    /// <param name="value">The wire value.</param>
    public ToolType(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>A built-in system tool. Wire value <c>system</c>.</summary>
    public static ToolType System { get; } = new("system");

    /// <summary>A server (webhook) tool. Wire value <c>webhook</c>.</summary>
    public static ToolType Webhook { get; } = new("webhook");

    /// <summary>A client tool. Wire value <c>client</c>.</summary>
    public static ToolType Client { get; } = new("client");

    /// <summary>An MCP server tool. Wire value <c>mcp</c>.</summary>
    public static ToolType Mcp { get; } = new("mcp");

    /// <summary>A workflow step. Wire value <c>workflow</c>.</summary>
    public static ToolType Workflow { get; } = new("workflow");

    /// <summary>An API-integration webhook tool. Wire value <c>api_integration_webhook</c>.</summary>
    public static ToolType ApiIntegrationWebhook { get; } = new("api_integration_webhook");

    /// <summary>An API-integration MCP tool. Wire value <c>api_integration_mcp</c>.</summary>
    public static ToolType ApiIntegrationMcp { get; } = new("api_integration_mcp");

    /// <summary>A code tool. Wire value <c>code</c>.</summary>
    public static ToolType Code { get; } = new("code");

    /// <summary>Gets the value as sent on the wire.</summary>
    public string Value { get; }

    /// <summary>Compares two values for equality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ToolType left, ToolType right) => left.Equals(right);

    /// <summary>Compares two values for inequality (ordinal).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ToolType left, ToolType right) => !left.Equals(right);

    /// <summary>Converts a wire value to a <see cref="ToolType"/>.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ToolType(string value) => new(value);

    /// <summary>Creates a <see cref="ToolType"/> from a wire value.</summary>
    /// <param name="value">The wire value.</param>
    /// <returns>The value.</returns>
    public static ToolType FromString(string value) => new(value);

    static ToolType IExtensibleEnum<ToolType>.Create(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ToolType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ToolType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value ?? string.Empty;
}
