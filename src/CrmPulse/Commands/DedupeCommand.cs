namespace CrmPulse.Commands;

/// <summary>crmpulse dedupe: matches a contacts CSV and writes the duplicate pairs and clusters as CSV.</summary>
/// <remarks>PLACEHOLDER (issue 3 contract).</remarks>
public static class DedupeCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter errorOutput)
    {
        errorOutput.WriteLine("dedupe is not built yet.");
        return Task.FromResult(1);
    }
}
