using System.Text.Json.Serialization;

namespace ConvAi.Telephony;

/// <summary>The kind of tool behind a tool call or tool result. Unknown values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumConverter<ToolType>))]
public sealed partial class ToolType
{
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
}
