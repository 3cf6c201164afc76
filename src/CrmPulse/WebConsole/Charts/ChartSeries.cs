namespace CrmPulse.WebConsole.Charts;

/// <summary>One line of a chart: a name for the legend and its points in time order.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(DateTimeOffset Time, double Value)> Points, bool Emphasis = false);
