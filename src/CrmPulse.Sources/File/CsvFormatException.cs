namespace CrmPulse.Sources.File;

/// <summary>A CSV input is broken beyond the current record: e.g. a quoted field never closed before the end.</summary>
/// <param name="line">1-based line where the problem starts.</param>
/// <param name="message">What is wrong, without the line (see <see cref="Line"/>).</param>
public sealed class CsvFormatException(int line, string message) : FormatException(message)
{
    /// <summary>1-based line where the problem starts.</summary>
    public int Line { get; } = line;
}
