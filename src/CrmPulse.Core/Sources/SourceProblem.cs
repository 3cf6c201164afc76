namespace CrmPulse.Core.Sources;

/// <summary>A record a source could not read: where it is and what is wrong with it.</summary>
/// <param name="Location">File name, API path or object name.</param>
/// <param name="Line">1-based line (files) when known.</param>
/// <param name="Column">Column or field name when known.</param>
/// <param name="Reason">What is wrong, in words a CRM admin understands.</param>
public sealed record SourceProblem(string Location, int? Line, string? Column, string Reason)
{
    public override string ToString()
    {
        var where = Line is { } l ? $"{Location}:{l}" : Location;
        return Column is null ? $"{where}: {Reason}" : $"{where}: column '{Column}': {Reason}";
    }
}
