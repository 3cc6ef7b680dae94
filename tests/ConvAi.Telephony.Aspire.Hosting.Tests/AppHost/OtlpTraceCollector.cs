using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ConvAi.Telephony.Aspire.Hosting.Tests;

/// <summary>One span as exported over OTLP: ids, name and string attributes.</summary>
internal sealed record ExportedSpan(string TraceId, string SpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A minimal OTLP/HTTP (protobuf) trace receiver on 127.0.0.1 for the AppHost test: it answers every export with 200
/// and decodes <c>ExportTraceServiceRequest</c> → resource_spans(1) → scope_spans(2) → spans(2) → trace_id(1),
/// span_id(2), name(5), attributes(9: key(1), value(2) → string_value(1)). Metrics and logs are accepted and ignored.
/// </summary>
internal sealed class OtlpTraceCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly WebApplication _app;

    private OtlpTraceCollector(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.Single();

    public IReadOnlyCollection<ExportedSpan> Spans => _spans.ToArray();

    public static async Task<OtlpTraceCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var collector = new OtlpTraceCollector(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            if (context.Request.Path == "/v1/traces")
            {
                foreach (var span in ReadTraces(body.ToArray()))
                {
                    collector._spans.Enqueue(span);
                }
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return collector;
    }

    public async Task<ExportedSpan> WaitForSpanAsync(Func<ExportedSpan, bool> match, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }

            // Exports arrive in batches (OTEL_BSP_SCHEDULE_DELAY); look again shortly.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation.Token);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    internal static IEnumerable<ExportedSpan> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    var attributes = new Dictionary<string, string>();
                    foreach (var keyValue in Fields(span, 9))
                    {
                        var key = Encoding.UTF8.GetString(Fields(keyValue, 1).FirstOrDefault() ?? []);
                        var value = Fields(keyValue, 2).FirstOrDefault() is { } any ? Fields(any, 1).FirstOrDefault() : null;
                        if (value is not null)
                        {
                            attributes[key] = Encoding.UTF8.GetString(value);
                        }
                    }

                    yield return new ExportedSpan(
                        Convert.ToHexString(Fields(span, 1).FirstOrDefault() ?? []).ToLowerInvariant(),
                        Convert.ToHexString(Fields(span, 2).FirstOrDefault() ?? []).ToLowerInvariant(),
                        Encoding.UTF8.GetString(Fields(span, 5).FirstOrDefault() ?? []),
                        attributes);
                }
            }
        }
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of a protobuf message; other fields are skipped.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var wireType = (int)(tag & 7);
            var field = (int)(tag >> 3);
            switch (wireType)
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (field == number)
                    {
                        found.Add(message.AsSpan(position, length).ToArray());
                    }

                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType}.");
            }
        }

        return found;
    }

    private static ulong ReadVarint(byte[] buffer, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
