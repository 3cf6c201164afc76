namespace CrmPulse.WebConsole.Charts;

/// <summary>A small trend line without axes, for KPI cards (SVG, drawn on the server).</summary>
public static class Sparkline
{
    private const double Width = 120, Height = 32;

    public static Markup Render(string label, IReadOnlyList<(DateTimeOffset Time, double Value)> points)
    {
        if (points.Count < 2) return Html.Raw("<span class=\"spark-empty\">no trend yet</span>");
        var t0 = points[0].Time;
        var t1 = points[^1].Time;
        var span = Math.Max(1, (t1 - t0).TotalSeconds);
        var min = points.Min(p => p.Value);
        var max = points.Max(p => p.Value);
        var range = max - min < 1e-12 ? 1 : max - min;
        var path = string.Join(" ", points.Select((p, i) =>
            $"{(i == 0 ? "M" : "L")}{LineChart.N(2 + (Width - 4) * (p.Time - t0).TotalSeconds / span)},{LineChart.N(Height - 3 - (Height - 6) * (p.Value - min) / range)}"));
        return Html.Of($"<svg class=\"spark\" viewBox=\"0 0 {LineChart.N(Width)} {LineChart.N(Height)}\" role=\"img\" aria-label=\"{label}\"><path d=\"{path}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.6\"/></svg>");
    }
}
