using System.Diagnostics;
using System.Globalization;

namespace CrmPulse.Benchmarks;

/// <summary>
/// --console URL: times every console page of a running CrmPulse (e.g. the embedded demo after its first pass and
/// backfill) against the goal of 300 ms per page: each page 20 times after one warm-up, median, p95 and worst.
/// </summary>
public static class ConsoleTiming
{
    public static readonly string[] Pages =
    [
        "/", "/adoption", "/data-quality", "/data-quality/issues?kind=contacts_without_activity&object=contact", "/pipeline", "/outcomes",
        "/integrations", "/alerts", "/sources", "/report?period=month", "/?range=1y", "/adoption?range=all",
    ];

    public const double GoalMs = 300;

    public static async Task<int> RunAsync(string baseUrl, int runs = 20)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(1) };
        Console.WriteLine($"Console pages of {baseUrl}: {runs} requests each after one warm-up (goal {GoalMs} ms)");
        var slow = 0;
        foreach (var page in Pages)
        {
            using (var warm = await client.GetAsync(page))
            {
                if (!warm.IsSuccessStatusCode)
                {
                    Console.WriteLine($"  {page,-70} HTTP {(int)warm.StatusCode}");
                    slow++;
                    continue;
                }
            }
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                using var response = await client.GetAsync(page);
                await response.Content.ReadAsByteArrayAsync();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
            if (p95 > GoalMs) slow++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {page,-70} median {times[times.Count / 2],6:F1} ms  p95 {p95,6:F1} ms  worst {times[^1],6:F1} ms{(p95 > GoalMs ? "  OVER GOAL" : "")}"));
        }
        Console.WriteLine(slow == 0 ? "Every page within the goal at p95." : $"{slow} page(s) over the goal at p95.");
        return slow == 0 ? 0 : 1;
    }
}
