using System.Text.Json.Nodes;

namespace MyBridge;

/// <summary>The orders the lookup tool answers about, from the <c>Orders</c> section of appsettings.json. A real app reads its own database here.</summary>
internal sealed class OrderBook(IConfiguration configuration)
{
    private readonly IConfigurationSection _orders = configuration.GetSection("Orders");

    /// <summary>Finds an order.</summary>
    /// <param name="orderId">The order id the agent sent.</param>
    /// <returns>What the agent reads (<c>{"order_id":…,"status":…}</c>), or null when there is no such order.</returns>
    public JsonObject? Find(string orderId) =>
        !string.IsNullOrWhiteSpace(orderId) && _orders[orderId] is { Length: > 0 } status
            ? new JsonObject { ["order_id"] = orderId, ["status"] = status }
            : null;
}
