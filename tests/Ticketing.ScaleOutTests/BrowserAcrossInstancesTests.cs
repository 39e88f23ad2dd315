using Microsoft.Playwright;

namespace Ticketing.ScaleOutTests;

/// <summary>A browser on instance B sees, live, a ticket listed through instance A.</summary>
[Collection(TwoInstancesCollection.Name)]
public sealed class BrowserAcrossInstancesTests(TwoInstancesFixture fixture)
{
    [Fact]
    public async Task A_home_page_served_by_instance_B_shows_a_ticket_listed_through_instance_A_without_reloading()
    {
        var chromium = Binary.Find("chromium");
        var cluster = fixture.Cluster;
        var (seller, _) = await LiveCluster.SignUpAsync(cluster.A.BaseAddress);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync();
        var circuitUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, _) => circuitUp.TrySetResult();
            }
        };
        await page.GotoAsync(new Uri(cluster.B.BaseAddress, "/").ToString());
        await circuitUp.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await page.Locator("[data-state=loading]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 20_000 });
        await Task.Delay(TimeSpan.FromSeconds(1));

        var title = $"Listed on A {Guid.NewGuid():N}"[..30];
        await LiveCluster.ListTicketAsync(seller, title);

        await page.GetByText(title).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        Assert.True(await page.GetByText(title).First.IsVisibleAsync());
    }
}
