using System.Net.WebSockets;
using System.Text;

namespace ConvAi.Telephony.Shared;

/// <summary>Reading a test peer's WebSocket one whole text message at a time.</summary>
internal static class WebSocketText
{
    /// <summary>Reads one whole text message (its frames joined); null when the other side closed.</summary>
    public static async Task<string?> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
