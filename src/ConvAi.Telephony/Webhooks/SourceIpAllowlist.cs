using System.Net;

namespace ConvAi.Telephony;

/// <summary>A set of allowed source addresses and CIDR ranges; IPv4-mapped IPv6 addresses match their IPv4 form.</summary>
internal sealed class SourceIpAllowlist
{
    private readonly IPNetwork[] _networks;

    public SourceIpAllowlist(IEnumerable<string> entries)
    {
        _networks = entries
            .Select(entry => TryParseEntry(entry, out var network)
                ? network
                : throw new ArgumentException($"'{entry}' is not an IP address or CIDR range.", nameof(entries)))
            .ToArray();
    }

    public static bool TryParseEntry(string? entry, out IPNetwork network)
    {
        entry = entry?.Trim();
        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(entry, out network);
    }

    public bool IsAllowed(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
