using System.Text.Json;

namespace MediaStreamBridge;

/// <summary>The order desk's data: customers by phone number and their orders. A real app reads its own database here.</summary>
public sealed class OrderDesk
{
    private readonly Dictionary<string, (string CustomerId, string Name)> _customers = new(StringComparer.Ordinal)
    {
        ["+14155550100"] = ("cust_42", "Ana"),
    };

    private readonly Dictionary<string, string> _orders = new(StringComparer.Ordinal)
    {
        ["123"] = "shipped today, arriving Thursday",
        ["456"] = "being packed",
    };

    /// <summary>Finds the customer calling from <paramref name="phoneNumber"/>, or a guest.</summary>
    public (string CustomerId, string Name) FindCustomer(string phoneNumber) =>
        _customers.TryGetValue(phoneNumber, out var customer) ? customer : ("guest", "there");

    /// <summary>The status of an order as JSON text for the agent, or null when there is no such order.</summary>
    public string? LookUp(string orderId) =>
        _orders.TryGetValue(orderId, out var status) ? JsonSerializer.Serialize(new OrderStatus(orderId, status), OrderDeskJson.Default.OrderStatus) : null;
}

/// <summary>What the lookup tool answers.</summary>
public sealed record OrderStatus(string OrderId, string Status);

[System.Text.Json.Serialization.JsonSerializable(typeof(OrderStatus))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class OrderDeskJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>Settings of the sample, section <c>OrderDesk</c>.</summary>
public sealed class OrderDeskOptions
{
    /// <summary>The number a caller is handed to when the agent transfers them (E.164).</summary>
    public string HumanNumber { get; set; } = "+14155550123";
}
