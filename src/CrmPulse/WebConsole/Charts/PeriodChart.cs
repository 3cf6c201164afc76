namespace CrmPulse.WebConsole.Charts;

/// <summary>A KPI's value per period as columns (the current period last, marked), with an optional dashed target
/// line: the report's "trend against the previous periods" (SVG, drawn on the server).</summary>
public static class PeriodChart
{
    private const double Width = 320, Height = 150, Top = 18, Bottom = 22, Side = 6;

    public static Markup Render(string title, string unit, IReadOnlyList<(string Label, double? Value)> periods, double? target)
    {
        var values = periods.Where(p => p.Value is not null).Select(p => p.Value!.Value).ToList();
        if (values.Count == 0) return Html.Of($"<p class=\"empty\">{title}: no values in these periods.</p>");
        if (target is { } t) values.Add(t);
        var (lo, hi) = LineChart.Axis(Math.Min(0, values.Min()), values.Max(), unit);
        double Y(double v) => Top + (Height - Top - Bottom) * (1 - (v - lo) / (hi - lo));
        var slot = (Width - 2 * Side) / periods.Count;
        var parts = new List<Markup>();
        for (var i = 0; i < periods.Count; i++)
        {
            var (label, value) = periods[i];
            var x = Side + i * slot;
            var current = i == periods.Count - 1;
            parts.Add(Html.Of($"<text class=\"axis\" x=\"{LineChart.N(x + slot / 2)}\" y=\"{LineChart.N(Height - 6)}\" text-anchor=\"middle\">{label}</text>"));
            if (value is not { } v) continue;
            var y = Y(Math.Max(v, lo));
            var h = Math.Max(1, Y(lo) - y);
            parts.Add(Html.Of($"<rect x=\"{LineChart.N(x + slot * 0.18)}\" y=\"{LineChart.N(y)}\" width=\"{LineChart.N(slot * 0.64)}\" height=\"{LineChart.N(h)}\" fill=\"{(current ? Palette.At(0) : "#9db4d9")}\"><title>{label}: {Format.Value(unit, v)}</title></rect>"));
            parts.Add(Html.Of($"<text class=\"value\" x=\"{LineChart.N(x + slot / 2)}\" y=\"{LineChart.N(y - 4)}\" text-anchor=\"middle\">{Format.Value(unit, v)}</text>"));
        }
        if (target is { } tv)
            parts.Add(Html.Of($"<line class=\"target\" x1=\"{LineChart.N(Side)}\" x2=\"{LineChart.N(Width - Side)}\" y1=\"{LineChart.N(Y(tv))}\" y2=\"{LineChart.N(Y(tv))}\"><title>target {Format.Value(unit, tv)}</title></line>"));
        return Html.Of($"<figure class=\"chart period\"><svg viewBox=\"0 0 {LineChart.N(Width)} {LineChart.N(Height)}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>{parts}</svg></figure>");
    }
}
