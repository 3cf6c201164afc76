using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CrmPulse.Tests.Support;

public static class Browse
{
    /// <summary>
    /// Clicks, waits until the page it leads to is at a URL matching <paramref name="urlGlob"/>, then until
    /// <paramref name="ready"/> is on it. The URL wait starts before the click (a fast form post and its redirect cannot
    /// be missed), and it waits for the navigation's commit, not its load event, which Chromium sometimes reports before
    /// Playwright listens after a redirect.
    /// </summary>
    public static async Task ClickAndWaitAsync(IPage page, ILocator target, string urlGlob, string ready = "main h1")
    {
        var url = page.WaitForURLAsync(urlGlob, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await target.ClickAsync();
        await url;
        await page.Locator(ready).First.WaitForAsync();
    }

    /// <summary>As the glob overload, for a page whose URL is only known by its shape (e.g. a new record's id).</summary>
    public static async Task ClickAndWaitAsync(IPage page, ILocator target, Regex url, string ready = "main h1")
    {
        var committed = page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await target.ClickAsync();
        await committed;
        await page.Locator(ready).First.WaitForAsync();
    }
}
