using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Tests.Http;

/// <summary>Both forms of <c>Retry-After</c>: delta seconds as sent, an HTTP date measured against the client's clock, never a negative wait.</summary>
public class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(45, 45)]
    public void Get_DeltaSeconds_IsTheWait(int seconds, int expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));

        Assert.That(RetryAfter.Get(response, new FakeTimeProvider(Now)), Is.EqualTo(TimeSpan.FromSeconds(expected)));
    }

    /// <summary>The wire form cannot be negative ("-5" does not parse), but a handler can set one: it is no wait, not a negative one.</summary>
    [TestCase(-1)]
    [TestCase(-3600)]
    public void Get_NegativeDelta_IsZero(int seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));

        Assert.That(RetryAfter.Get(response, new FakeTimeProvider(Now)), Is.EqualTo(TimeSpan.Zero));
    }

    [TestCase(10, 10)]
    [TestCase(1, 1)]
    [TestCase(0, 0)]
    [TestCase(-1, 0)]
    [TestCase(-3600, 0)]
    public void Get_Date_IsTheTimeUntilItAndZeroOnceItPassed(int secondsFromNow, int expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(secondsFromNow));

        Assert.That(RetryAfter.Get(response, new FakeTimeProvider(Now)), Is.EqualTo(TimeSpan.FromSeconds(expected)));
    }

    [TestCase("120", 120)]
    [TestCase("0", 0)]
    [TestCase("Wed, 25 Nov 2026 12:00:30 GMT", 30)]
    [TestCase("Wed, 25 Nov 2026 11:00:00 GMT", 0)]
    public void Get_HeaderAsSent_IsParsed(string header, int expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        Assert.That(RetryAfter.Get(response, new FakeTimeProvider(Now)), Is.EqualTo(TimeSpan.FromSeconds(expected)));
    }

    [TestCase(null)]
    [TestCase("soon")]
    [TestCase("-5")]
    public void Get_NoUsableHeader_IsNull(string? header)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", header);
        }

        Assert.That(RetryAfter.Get(response, new FakeTimeProvider(Now)), Is.Null);
    }
}
