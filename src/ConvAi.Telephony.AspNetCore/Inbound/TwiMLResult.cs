using System.Text;
using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// An <see cref="IResult"/> that answers a TwiML document with status 200 and
/// <c>Content-Type: text/xml; charset=utf-8</c>, as Twilio expects from a voice webhook.
/// </summary>
/// <remarks>The document is written unchanged; build common documents with <see cref="TwiML"/>.</remarks>
public sealed class TwiMLResult : IResult, IContentTypeHttpResult, IStatusCodeHttpResult
{
    /// <summary>The content type written with every TwiML response.</summary>
    public const string TwiMLContentType = "text/xml; charset=utf-8";

    /// <summary>Creates a result that answers the given TwiML document.</summary>
    /// <param name="document">The TwiML document, for example from <see cref="TwiML.Reject(bool)"/> or from register-call.</param>
    /// <exception cref="ArgumentException"><paramref name="document"/> is null or empty.</exception>
    public TwiMLResult(string document)
    {
        ArgumentException.ThrowIfNullOrEmpty(document);
        Document = document;
    }

    /// <summary>Gets the TwiML document this result writes.</summary>
    public string Document { get; }

    /// <summary>Gets the content type this result writes: <c>text/xml; charset=utf-8</c>.</summary>
    public string ContentType => TwiMLContentType;

    /// <summary>Gets the status code this result writes: 200.</summary>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <summary>Writes the document to the response.</summary>
    /// <param name="httpContext">The context of the request being answered.</param>
    /// <returns>A task that completes when the document has been written.</returns>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = TwiMLContentType;
        var body = Encoding.UTF8.GetBytes(Document);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}

/// <summary>Adds <c>Results.Extensions.TwiML(...)</c> for minimal API endpoints.</summary>
public static class TwiMLResultExtensions
{
    /// <summary>Creates a result that answers a TwiML document with <c>Content-Type: text/xml</c>.</summary>
    /// <param name="resultExtensions">The <c>Results.Extensions</c> instance.</param>
    /// <param name="document">The TwiML document to answer.</param>
    /// <returns>A <see cref="TwiMLResult"/> for the document.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is null or empty.</exception>
    public static TwiMLResult TwiML(this IResultExtensions resultExtensions, string document)
    {
        ArgumentNullException.ThrowIfNull(resultExtensions);
        return new TwiMLResult(document);
    }
}
