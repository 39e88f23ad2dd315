using AngleSharp.Dom;
using Bunit;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The admin's grids for a German reader: their own words and MudBlazor's pager, all in German.</summary>
public sealed class GermanAdminGridsTests : AdminPageTestContext
{
    // The grids query the database after a debounce, while the other test assemblies share the two cores.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Grids_InGerman_SpeakGerman_PagerIncluded()
    {
        using var german = new CultureScope("de");
        for (var i = 0; i < 12; i++)
        {
            await ListTicketAsync(SellerId, $"Konzert {i}", 20m + i);
        }

        RenderProviders();
        var page = Context.Render<Dashboard>();
        page.WaitForAssertion(() => Assert.Equal(10, page.FindAll("[data-listing-id]").Count), Slow);

        var listings = Grid(page, "listings");
        Assert.Contains("Zeilen pro Seite:", listings.TextContent);
        Assert.Contains("1–10 von 12", listings.TextContent);
        Assert.Contains("Nächste Seite", listings.InnerHtml);
        var orders = Grid(page, "orders");
        Assert.Equal("Noch keine Bestellungen.", Text.Of(orders.QuerySelector("[data-orders-empty]")!));
        Assert.Contains("0–0 von 0", orders.TextContent);
        Assert.Equal("0 insgesamt", Text.Of(page.Find("[data-refunds-total]")));

        await page.Find("input[data-listings-search]").InputAsync(new() { Value = "Oper" });
        Clock.Advance(TimeSpan.FromSeconds(1)); // MudBlazor debounces typing on the app's TimeProvider

        page.WaitForAssertion(() => Assert.Equal("Kein Angebot passt zu deiner Suche.", Text.Of(page.Find("[data-listings-empty]"))), Slow);
        Assert.DoesNotContain("Rows per page", page.Markup);
        Assert.DoesNotContain(" of ", Grid(page, "listings").TextContent);
    }

    private static IElement Grid(IRenderedComponent<Dashboard> page, string name) => page.Find($"[data-{name}-grid]");
}
