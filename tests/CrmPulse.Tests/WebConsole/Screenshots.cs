using Microsoft.Playwright;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.WebConsole;

/// <summary>
/// Screenshots of the console on the demo. Every run takes them (into screenshots/ beside the test binaries, replaced
/// by the next run); with
/// CRMPULSE_UPDATE_SCREENSHOTS=1 they are written to docs/console/ in the repository, as the README shows them.
/// </summary>
public static class Screenshots
{
    public static string Folder { get; } = Environment.GetEnvironmentVariable("CRMPULSE_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepoRoot.Path, "docs", "console")
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var file = Path.Combine(Folder, name + ".png");
        // The whole page, cut at 1,800 px: long record lists would make megabyte pictures of the same rows.
        var height = await page.EvaluateAsync<int>("document.documentElement.scrollHeight");
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = file, FullPage = true, Clip = new Clip { X = 0, Y = 0, Width = 1360, Height = Math.Min(height, 1800) },
        });
        Assert.True(new FileInfo(file).Length > 10_000, $"{file} is too small to show a page");
    }
}
