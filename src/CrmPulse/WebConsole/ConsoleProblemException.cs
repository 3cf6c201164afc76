namespace CrmPulse.WebConsole;

/// <summary>A request the console cannot answer (a bad parameter, an unknown source): shown as a page with the API's message.</summary>
public sealed class ConsoleProblemException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
