namespace ConvAi.Telephony.Testing;

/// <summary>Placeholder so the project compiles before its features land.</summary>
internal static class AssemblyMarker
{
}
