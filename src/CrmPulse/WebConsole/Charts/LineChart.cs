using System.Globalization;

namespace CrmPulse.WebConsole.Charts;

/// <summary>
/// A time-series line chart as inline SVG, drawn on the server: the same markup in the page, the HTML report and the
/// PDF. Y axis in the KPI's unit (three to six grid lines at round steps), a few dates on the X axis, an optional dashed target line, and a
/// legend when there is more than one line.
/// </summary>
public static class LineChart
{
    private const double Width = 960, Height = 250, Left = 70, Right = 14, Top = 12, Bottom = 28;

    public static Markup Render(string title, string unit, IReadOnlyList<ChartSeries> series, double? target = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0)
            return Html.Of($"<p class=\"empty\">{title}: no samples in this time range yet.</p>");

        var t0 = from ?? points.Min(p => p.Time);
        var t1 = to ?? points.Max(p => p.Time);
        if (t1 <= t0) t1 = t0 + TimeSpan.FromHours(1);
        var values = points.Select(p => p.Value).ToList();
        if (target is { } tv) values.Add(tv);
        var (y0, y1, step) = Ticks(values.Min(), values.Max(), unit);

        double X(DateTimeOffset t) => Left + (Width - Left - Right) * ((t - t0).TotalSeconds / (t1 - t0).TotalSeconds);
        double Y(double v) => Top + (Height - Top - Bottom) * (1 - (v - y0) / (y1 - y0));

        var parts = new List<Markup>();
        var lines = (int)Math.Round((y1 - y0) / step);
        for (var i = 0; i <= lines; i++)
        {
            var v = y0 + step * i;
            var y = Y(v);
            parts.Add(Html.Of($"<line class=\"grid\" x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(y)}\" y2=\"{N(y)}\"/><text class=\"axis\" x=\"{N(Left - 6)}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{Format.Value(unit, v)}</text>"));
        }
        for (var i = 0; i <= 3; i++)
        {
            var t = t0 + (t1 - t0) * i / 3;
            var anchor = i == 0 ? "start" : i == 3 ? "end" : "middle";
            parts.Add(Html.Of($"<text class=\"axis\" x=\"{N(X(t))}\" y=\"{N(Height - 8)}\" text-anchor=\"{anchor}\">{t.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture)}</text>"));
        }
        if (target is { } tgt)
            parts.Add(Html.Of($"<line class=\"target\" x1=\"{N(Left)}\" x2=\"{N(Width - Right)}\" y1=\"{N(Y(tgt))}\" y2=\"{N(Y(tgt))}\"><title>target {Format.Value(unit, tgt)}</title></line>"));
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.Points.Count == 0) continue;
            var color = Palette.At(i);
            var path = string.Join(" ", s.Points.Select((p, j) => $"{(j == 0 ? "M" : "L")}{N(X(p.Time))},{N(Y(p.Value))}"));
            parts.Add(Html.Of($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{(s.Emphasis ? "2.5" : "1.6")}\"><title>{s.Name}</title></path>"));
            var last = s.Points[^1];
            parts.Add(Html.Of($"<circle cx=\"{N(X(last.Time))}\" cy=\"{N(Y(last.Value))}\" r=\"2.8\" fill=\"{color}\"/>"));
        }

        var legend = series.Count > 1
            ? Html.Of($"<ul class=\"legend\">{series.Select((s, i) => Html.Of($"<li><span class=\"swatch c{i % Palette.Colors.Count}\"></span>{s.Name}</li>"))}</ul>")
            : Markup.Empty;
        return Html.Of($"<figure class=\"chart\"><svg viewBox=\"0 0 {N(Width)} {N(Height)}\" role=\"img\" aria-label=\"{title}\"><title>{title}</title>{parts}</svg>{legend}</figure>");
    }

    /// <summary>
    /// A y range with some room; counts start at 0, and ratios (0..1) and scores (0..100) never show an axis past their
    /// top or below 0 when the data stay within them, also when every value is the same (a score of 100 all month).
    /// </summary>
    internal static (double Min, double Max) Axis(double min, double max, string unit)
    {
        if (unit is "count" or "users" or "currency" or "milliseconds" or "minutes" or "days" && min >= 0) min = 0;
        double lo, hi;
        if (max - min < 1e-9)
        {
            var pad = Math.Abs(max) > 0 ? Math.Abs(max) * 0.1 : 1;
            (lo, hi) = (min - pad, max + pad);
        }
        else
        {
            var span = max - min;
            lo = min == 0 ? 0 : min - span * 0.1;
            hi = max + span * 0.1;
        }
        double? top = unit switch { "ratio" when max <= 1 => 1, "score" when max <= 100 => 100, _ => null };
        if (top is { } t && hi > t) { lo = Math.Max(lo - (hi - t), Math.Min(min, 0)); hi = t; }
        if (unit is "ratio" or "score" && min >= 0) lo = Math.Max(lo, 0);
        if (hi <= lo) hi = lo + 1;
        return (lo, hi);
    }

    /// <summary>
    /// The y range of <see cref="Axis"/> widened to whole steps of 1, 2, 2.5 or 5 × 10^k (about four of them), so that
    /// every grid line sits on a round value its label shows exactly, and no two labels read the same. The step is at
    /// a whole multiple of the unit's display resolution (a count, 0.1 % of a ratio, 0.1 of a score, minutes or days). A
    /// ratio's 1 and a score's 100 are whole multiples of every such step, so the widening never passes them.
    /// </summary>
    internal static (double Min, double Max, double Step) Ticks(double min, double max, string unit)
    {
        var (lo, hi) = Axis(min, max, unit);
        var resolution = unit switch
        {
            "count" or "users" or "currency" or "milliseconds" => 1,
            "ratio" => 0.001,
            "score" or "minutes" or "days" => 0.1,
            "flag" => 1,
            _ => 0.01,
        };
        var raw = Math.Max((hi - lo) / 4, resolution);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        // Both are powers of ten and raw ≥ resolution, so magnitude ≥ resolution: 1, 2, 5 and 10 × magnitude are whole
        // multiples of the resolution, 2.5 × magnitude only from ten resolutions up (a count never steps by 2.5).
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * magnitude)
            .First(s => s >= raw * (1 - 1e-9) && Math.Abs(s / resolution - Math.Round(s / resolution)) < 1e-6);
        var first = Math.Floor(lo / step + 1e-9) * step;
        var last = Math.Ceiling(hi / step - 1e-9) * step;
        if (last <= first) last = first + step;
        return (Clean(first, step), Clean(last, step), step);
    }

    // 0.1 + 0.2 → 0.30000000000000004: round to the step's own decimals.
    private static double Clean(double v, double step) =>
        Math.Round(v, Math.Clamp(3 - (int)Math.Floor(Math.Log10(step)), 0, 15));

    internal static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
