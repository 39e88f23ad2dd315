using AngleSharp.Dom;
using Bunit;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

public sealed class SellTicketTests : UiTestContext
{
    [Fact]
    public void EmptyForm_ShowsWhatIsRequired_AndListsNothing()
    {
        SignInNewUser("seller");
        var cut = RenderSell();

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Title is required", "Price is required"], Errors(cut)));
        Assert.EndsWith("/", Navigation.Uri);
    }

    [Theory]
    [InlineData("en", "12,50", "12.50")]
    [InlineData("en", "12.50", "12.50")]
    [InlineData("de", "12.50", "12.50")]
    [InlineData("de", "12,50", "12.50")]
    [InlineData("en", "12,5", "12.5")]
    [InlineData("en", "1250", "1250")]
    [InlineData("de", "1250", "1250")]
    public async Task Price_TakesADotOrACommaAsTheDecimals_InEitherLanguage(string culture, string typed, string listed)
    {
        using var language = new CultureScope(culture);
        SignInNewUser("seller");

        var cut = ListWithPrice(typed);

        cut.WaitForAssertion(() => Assert.Matches("/tickets/[0-9a-f-]{36}$", Navigation.Uri));
        var ticket = await Listings.FindAsync(Guid.Parse(Navigation.Uri[^36..]));
        Assert.Equal(decimal.Parse(listed, System.Globalization.CultureInfo.InvariantCulture), ticket!.Price);
    }

    [Theory]
    [InlineData("en", "0", "Price must be greater than 0")]
    [InlineData("en", "-3", "Price must be greater than 0")]
    [InlineData("en", "1000000.01", "Price must be at most 1,000,000")]
    [InlineData("en", "1,250", "Write the price without thousands separators, e.g. 1250 or 12.50")]
    [InlineData("en", "1,250.00", "Write the price without thousands separators, e.g. 1250 or 12.50")]
    [InlineData("en", "1.2.3", "Write the price without thousands separators, e.g. 1250 or 12.50")]
    [InlineData("en", "1e3", "Enter the price as a number, e.g. 12.50")]
    [InlineData("en", "12 dollars", "Enter the price as a number, e.g. 12.50")]
    [InlineData("en", "12.345", "Price can have at most 2 decimals")]
    [InlineData("de", "1.250", "Schreib den Preis ohne Tausendertrennzeichen, z. B. 1250 oder 12,50")]
    [InlineData("de", "1.250,00", "Schreib den Preis ohne Tausendertrennzeichen, z. B. 1250 oder 12,50")]
    [InlineData("de", "1e3", "Gib den Preis als Zahl ein, z. B. 12,50")]
    [InlineData("de", "12,345", "Der Preis darf höchstens 2 Nachkommastellen haben")]
    public async Task PriceThatIsNotPlainlyOneAmount_IsRefusedUnderThePrice_AndNothingIsListed(string culture, string typed, string message)
    {
        using var language = new CultureScope(culture);
        var seller = SignInNewUser("seller");

        var cut = ListWithPrice(typed);

        cut.WaitForAssertion(() => Assert.Equal([message], Errors(cut)));
        Assert.EndsWith("/", Navigation.Uri);
        Assert.Equal(0, (await Listings.CountAsync(seller.UserId)).Total);
    }

    [Fact]
    public async Task ClicksInQuickSuccession_ListOneTicket()
    {
        var seller = SignInNewUser("seller");
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input("Pulp, standing");
        cut.Find("input[data-field=price]").Input("60");
        var save = cut.Find("[data-action=save]");

        // Three clicks before the first one's save has begun, as a quick double click sends them.
        var clicks = await cut.InvokeAsync(() => new[] { save.ClickAsync(new()), save.ClickAsync(new()), save.ClickAsync(new()) });
        await Task.WhenAll(clicks);

        cut.WaitForAssertion(() => Assert.Matches("/tickets/[0-9a-f-]{36}$", Navigation.Uri));
        Assert.Equal(1, (await Listings.CountAsync(seller.UserId)).Total);
    }

    [Fact]
    public async Task Form_TakesOneSubmissionAtATime()
    {
        var submissions = 0;
        var saving = new TaskCompletionSource();
        var cut = Context.Render<TicketForm>(p => p
            .Add(f => f.Model, new TicketFormModel { Title = "Fine", Price = 10m })
            .Add(f => f.OnValidSubmit, async () =>
            {
                submissions++;
                await saving.Task;
            }));
        var save = cut.Find("[data-action=save]");

        // The page says it is busy only once it renders again: clicks before then reach the form.
        var clicks = await cut.InvokeAsync(() => new[] { save.ClickAsync(new()), save.ClickAsync(new()), save.ClickAsync(new()) });
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-action=save]").HasAttribute("disabled")));
        saving.SetResult();
        await Task.WhenAll(clicks);

        Assert.Equal(1, submissions);
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-action=save]").HasAttribute("disabled")));
    }

    [Fact]
    public void TooLongTexts_AreExplained()
    {
        SignInNewUser("seller");
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input(new string('t', 121));
        cut.Find("input[data-field=price]").Input("10");
        cut.Find("input[data-field=venue]").Input(new string('v', 121));
        cut.Find("textarea[data-field=description]").Input(new string('d', 2001));

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            ["Title must be at most 120 characters", "Venue must be at most 120 characters", "Description must be at most 2000 characters"],
            Errors(cut)));
    }

    [Fact]
    public void BlankTitle_IsRequired()
    {
        SignInNewUser("seller");
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input("    ");
        cut.Find("input[data-field=price]").Input("10");

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Title is required"], Errors(cut)));
    }

    [Fact]
    public async Task ValidForm_ListsTheTicketAndShowsIt()
    {
        var seller = SignInNewUser("seller");
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input("  Portishead, balcony  ");
        cut.Find("input[data-field=price]").Input("49.99");
        cut.Find("input[data-field=venue]").Input("Roundhouse");
        cut.Find("textarea[data-field=description]").Input("Seat B12");

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.Matches("/tickets/[0-9a-f-]{36}$", Navigation.Uri));
        var ticket = await Listings.FindAsync(Guid.Parse(Navigation.Uri[^36..]));
        Assert.Equal(("Portishead, balcony", 49.99m, "Roundhouse", "Seat B12", seller.UserId, 0), (ticket!.Title, ticket.Price, ticket.Venue, ticket.Description, ticket.UserId, ticket.Version));
        Assert.Null(ticket.EventDate);
    }

    [Fact]
    public void TimeWithoutADate_AsksForTheDate()
    {
        SignInNewUser("seller");
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input("A ticket");
        cut.Find("input[data-field=price]").Input("10");
        cut.Find("input[data-field=event-time]").Change("20:30");

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Pick the date for this time"], Errors(cut)));
    }

    [Fact]
    public async Task EventDateAndTime_AreSavedAsTheInstantTheyMeanInTheBrowserZone()
    {
        SignInNewUser("seller");
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input("New Year's Eve");
        cut.Find("input[data-field=price]").Input("120");
        cut.Find("input[data-field=event-date]").Change("2026-12-31");
        cut.Find("input[data-field=event-time]").Change("20:30");

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.Matches("/tickets/[0-9a-f-]{36}$", Navigation.Uri));
        var ticket = await Listings.FindAsync(Guid.Parse(Navigation.Uri[^36..]));
        // No browser zone in this test: the form says its times are UTC, and they are.
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 20, 30, 0, TimeSpan.Zero), ticket!.EventDate);
        Assert.Contains("Times are in UTC.", cut.Markup);
    }

    [Fact]
    public async Task ServerError_ForAField_IsShownUnderThatField()
    {
        var cut = Context.Render<TicketForm>(p => p.Add(f => f.Model, new TicketFormModel { Title = "Fine", Price = 10m }));

        await cut.InvokeAsync(() => cut.Instance.ShowServerErrorAsync("venue", "Venue is not accepted here"));

        Assert.Equal(["Venue is not accepted here"], Errors(cut));
        cut.Find("input[data-field=venue]").Input("Another venue");
        cut.WaitForAssertion(() => Assert.Empty(Errors(cut)));
    }

    /// <summary>Fills in a title and <paramref name="price"/> as typed, and presses "List ticket".</summary>
    private IRenderedComponent<SellTicket> ListWithPrice(string price)
    {
        var cut = RenderSell();
        cut.Find("input[data-field=title]").Input("A ticket");
        cut.Find("input[data-field=price]").Input(price);
        cut.Find("[data-action=save]").Click();
        return cut;
    }

    private IRenderedComponent<SellTicket> RenderSell()
    {
        RenderProviders();
        return Context.Render<SellTicket>();
    }

    private static List<string> Errors<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.FindAll(".mud-input-helper-text.mud-input-error .me-auto").Select(Text.Of).Where(t => t.Length > 0).ToList();
}
