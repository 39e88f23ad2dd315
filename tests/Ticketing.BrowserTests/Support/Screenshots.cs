using Microsoft.Playwright;

namespace Ticketing.BrowserTests.Support;

public static class Screenshots
{
    /// <summary>Saves a full-page screenshot under <see cref="RepoPaths.Screenshots"/> once transitions have settled.</summary>
    public static async Task<string> CaptureAsync(IPage page, string name)
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        await page.EvaluateAsync("() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))");
        var path = Path.Combine(RepoPaths.Screenshots, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
