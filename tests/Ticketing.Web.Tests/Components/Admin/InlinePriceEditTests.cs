using AngleSharp.Dom;
using Bunit;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The listings grid's inline price edit reads and refuses prices as the seller's form does.</summary>
public sealed class InlinePriceEditTests : AdminPageTestContext
{
    [Theory]
    [InlineData("en", "45,50", "45.50")]
    [InlineData("en", "45.50", "45.50")]
    [InlineData("de", "45.50", "45.50")]
    [InlineData("de", "45,5", "45.5")]
    [InlineData("en", "1250", "1250")]
    public async Task Price_TakesADotOrACommaAsTheDecimals(string culture, string typed, string saved)
    {
        using var language = new CultureScope(culture);
        var ticket = await ListTicketAsync(SellerId, "A ticket", 40m);

        var page = await SavePriceAsync(ticket.Id, typed);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-action=save]")));
        Assert.Equal(decimal.Parse(saved, System.Globalization.CultureInfo.InvariantCulture), (await Listings.FindAsync(ticket.Id))!.Price);
    }

    [Theory]
    [InlineData("en", "0", "Price must be greater than 0")]
    [InlineData("en", "2000000", "Price must be at most 1,000,000")]
    [InlineData("en", "12.345", "Price can have at most 2 decimals")]
    [InlineData("en", "1,250", "Write the price without thousands separators, e.g. 1250 or 12.50")]
    [InlineData("en", "1e3", "Enter the price as a number, e.g. 12.50")]
    [InlineData("en", "", "Price is required")]
    [InlineData("de", "0", "Der Preis muss größer als 0 sein")]
    [InlineData("de", "1.250,00", "Schreib den Preis ohne Tausendertrennzeichen, z. B. 1250 oder 12,50")]
    public async Task PriceTheSellersFormWouldRefuse_IsRefusedUnderTheField_AndChangesNothing(string culture, string typed, string message)
    {
        using var language = new CultureScope(culture);
        var ticket = await ListTicketAsync(SellerId, "A ticket", 40m);

        var page = await SavePriceAsync(ticket.Id, typed);

        page.WaitForAssertion(() => Assert.Equal(message, Text.Of(page.Find(".mud-input-helper-text.mud-input-error .me-auto"))));
        Assert.NotEmpty(page.FindAll("[data-action=save]"));
        var unchanged = (await Listings.FindAsync(ticket.Id))!;
        Assert.Equal((40m, 0), (unchanged.Price, unchanged.Version));
    }

    /// <summary>Opens the listing's inline edit, types <paramref name="typed"/> as its price and presses save.</summary>
    private async Task<IRenderedComponent<Dashboard>> SavePriceAsync(Guid ticketId, string typed)
    {
        RenderProviders();
        var page = Context.Render<Dashboard>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-listing-id='{ticketId}']")));
        await page.Find($"[data-listing-id='{ticketId}']").Closest("tr")!.QuerySelector("[data-action=edit]")!.ClickAsync(new());
        await page.Find("input[data-edit-price]").InputAsync(new() { Value = typed });
        await page.Find("[data-action=save]").ClickAsync(new());
        return page;
    }
}
