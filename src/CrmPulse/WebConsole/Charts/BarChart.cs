namespace CrmPulse.WebConsole.Charts;

/// <summary>Horizontal bars with their labels and values (SVG, drawn on the server).</summary>
public static class BarChart
{
    private const double Width = 640, Row = 26, LabelWidth = 190, ValueWidth = 80;

    /// <param name="max">The value of a full bar (1 for ratios); the largest value when null.</param>
    public static Markup Render(string title, string unit, IReadOnlyList<(string Label, double Value)> bars, double? max = null)
    {
        if (bars.Count == 0) return Html.Of($"<p class=\"empty\">{title}: no values yet.</p>");
        var full = max ?? Math.Max(bars.Max(b => Math.Abs(b.Value)), 1e-12);
        var height = bars.Count * Row + 4;
        var rows = bars.Select((b, i) =>
        {
            var y = 2 + i * Row;
            var w = Math.Max(0, (Width - LabelWidth - ValueWidth) * Math.Min(1, Math.Abs(b.Value) / full));
            return Html.Of($"<text class=\"axis\" x=\"{LineChart.N(LabelWidth - 8)}\" y=\"{LineChart.N(y + 16)}\" text-anchor=\"end\">{b.Label}</text><rect x=\"{LineChart.N(LabelWidth)}\" y=\"{LineChart.N(y + 4)}\" width=\"{LineChart.N(w)}\" height=\"16\" fill=\"{Palette.At(0)}\"/><text class=\"value\" x=\"{LineChart.N(LabelWidth + w + 6)}\" y=\"{LineChart.N(y + 16)}\">{Format.Value(unit, b.Value)}</text>");
        });
        return Html.Of($"<figure class=\"chart\"><svg viewBox=\"0 0 {LineChart.N(Width)} {LineChart.N(height)}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>{rows}</svg></figure>");
    }
}
