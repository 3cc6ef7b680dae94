namespace ConvAi.Telephony;

/// <summary>Argument checks shared by the sub-clients; every failure names the parameter.</summary>
internal static class Guard
{
    public static void RequireText(string? value, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value is required.", paramName);
        }
    }

    /// <summary>Checks dynamic-variable names and normalizes nothing; null data is fine.</summary>
    public static void CheckClientData(ConversationInitiationClientData? data, string paramName)
    {
        if (data?.DynamicVariables is { } variables)
        {
            DynamicVariables.Validate(variables.Keys, paramName + "." + nameof(ConversationInitiationClientData.DynamicVariables));
        }
    }
}
