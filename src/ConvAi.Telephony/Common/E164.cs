using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace ConvAi.Telephony;

/// <summary>E.164 validation and normalisation of phone numbers, applied before any request.</summary>
internal static partial class E164
{
    /// <summary>Normalizes a number or throws an <see cref="ArgumentException"/> naming the parameter.</summary>
    public static string Normalize(string? value, string paramName)
    {
        if (TryNormalize(value, out var e164))
        {
            return e164;
        }

        throw new ArgumentException(
            "The phone number must be in E.164 format: '+', a country code and up to 15 digits in all (e.g. +14155550100); spaces, dashes, dots and parentheses are ignored.",
            paramName);
    }

    /// <summary>
    /// Normalizes the other party's number when it is a phone number and returns it trimmed but otherwise unchanged when it is not
    /// (a withheld caller ID such as <c>anonymous</c>, or a SIP URI); throws an <see cref="ArgumentException"/> only when it is empty.
    /// </summary>
    public static string NormalizeExternal(string? value, string paramName)
    {
        if (TryNormalize(value, out var e164))
        {
            return e164;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The other party's number is required; pass what Twilio sent (for example 'anonymous' when the caller ID is withheld).", paramName);
        }

        return value.Trim();
    }

    /// <summary>Normalizes a number when it is valid.</summary>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? e164)
    {
        e164 = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ' ' or '-' or '.' or '(' or ')' || char.IsWhiteSpace(c))
            {
                continue;
            }

            builder.Append(c);
        }

        var candidate = builder.ToString();
        if (!Pattern().IsMatch(candidate))
        {
            return false;
        }

        e164 = candidate;
        return true;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Validates and normalizes phone numbers to E.164, the format the API expects.</summary>
public static class PhoneNumberFormat
{
    /// <summary>Removes spaces, dashes, dots and parentheses and checks the result is E.164 (<c>+</c> and 2–15 digits).</summary>
    /// <param name="value">The phone number, such as <c>+1 (415) 555-0100</c>.</param>
    /// <returns>The E.164 number, such as <c>+14155550100</c>.</returns>
    /// <exception cref="ArgumentException">The value is not a valid E.164 number.</exception>
    public static string NormalizeE164(string value) => E164.Normalize(value, nameof(value));

    /// <summary>Tries to normalize a phone number to E.164.</summary>
    /// <param name="value">The phone number.</param>
    /// <param name="e164">The E.164 number when valid; otherwise an empty string.</param>
    /// <returns>True when the value is a valid number.</returns>
    public static bool TryNormalizeE164(string? value, out string e164)
    {
        if (E164.TryNormalize(value, out var normalized))
        {
            e164 = normalized;
            return true;
        }

        e164 = string.Empty;
        return false;
    }
}
