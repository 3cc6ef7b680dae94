namespace ConvAi.Telephony;

/// <summary>Naming rules for dynamic variables.</summary>
public static class DynamicVariables
{
    /// <summary>The prefix of a variable that is never sent to the LLM.</summary>
    public const string SecretPrefix = "secret__";

    /// <summary>The prefix reserved for variables the platform fills in, such as <c>system__caller_id</c>.</summary>
    public const string SystemPrefix = "system__";

    /// <summary>Returns the name of a secret variable, adding <see cref="SecretPrefix"/> unless it is already there.</summary>
    /// <param name="name">The variable name.</param>
    /// <returns>The name with the secret prefix.</returns>
    /// <exception cref="ArgumentException">The name is empty or uses the reserved system prefix.</exception>
    public static string Secret(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Dynamic variable names starting with '{SystemPrefix}' are reserved.", nameof(name));
        }

        return name.StartsWith(SecretPrefix, StringComparison.Ordinal) ? name : SecretPrefix + name;
    }

    /// <summary>Checks that no name is empty or uses the reserved <see cref="SystemPrefix"/>.</summary>
    /// <param name="names">The variable names.</param>
    /// <param name="paramName">The parameter name used in the exception.</param>
    /// <exception cref="ArgumentException">A name is empty or reserved.</exception>
    public static void Validate(IEnumerable<string> names, string paramName)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("Dynamic variable names must not be empty.", paramName);
            }

            if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The dynamic variable '{name}' uses the reserved prefix '{SystemPrefix}'; the platform sets those itself.",
                    paramName);
            }
        }
    }
}
