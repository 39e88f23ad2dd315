using Bunit;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages.Listings;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Listings;

/// <summary>
/// A seller's sold listings without their ticket file say, on My listings, by when the file must be
/// attached: the deadline the buyer was given, in the seller's zone and language, and nothing more
/// once the file is there.
/// </summary>
public sealed class MyListingsFileDeadlineTests : UiTestContext
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(15);

    private readonly Guid _me = Guid.NewGuid();
    private readonly BrowserTime _berlin = InBerlin();
    private bool _providersRendered;

    public MyListingsFileDeadlineTests() => SignIn(_me, "me@example.com");

    private TicketFiles Files => Service<TicketFiles>();

    [Fact]
    public async Task SoldWithoutItsFile_SaysByWhenToAttachIt_InEnglish()
    {
        var (withoutFile, withFile, available) = await ListAndSellAsync();
        using var english = new CultureScope("en");

        var cut = RenderMyListings();

        // Sold at 12:00 UTC on Thursday 5 March 2026; the seller has 48 hours: Saturday, 13:00 in Berlin (UTC+1).
        cut.WaitForAssertion(() => Assert.Equal("Sold — attach the ticket file by Sat 7 Mar, 13:00", Status(cut, withoutFile)), Slow);
        Assert.Equal("Sold", Status(cut, withFile));
        Assert.Equal("Available", Status(cut, available));
        Assert.Single(cut.FindAll("[data-file-due]"));
    }

    [Fact]
    public async Task SoldWithoutItsFile_SaysByWhenToAttachIt_InGerman()
    {
        var (withoutFile, withFile, _) = await ListAndSellAsync();
        using var german = new CultureScope("de");

        var cut = RenderMyListings();

        cut.WaitForAssertion(() => Assert.Equal("Verkauft — Ticketdatei anhängen bis Sa, 7. März, 13:00", Status(cut, withoutFile)), Slow);
        Assert.Equal("Verkauft", Status(cut, withFile));
    }

    [Fact]
    public async Task ASaleHeardLive_ShowsTheDeadlineOnItsRow()
    {
        var ticket = await ListTicketAsync(_me, "Selling now", eventDate: null);
        var cut = RenderMyListings();
        Assert.Equal("Available", Status(cut, ticket.Id));

        Clock.Advance(TimeSpan.FromHours(2));
        var sold = await SellAsync(Guid.NewGuid(), ticket.Id);
        Publish(LiveMethods.TicketSold, sold);

        cut.WaitForAssertion(() => Assert.Equal("Sold — attach the ticket file by Sat 7 Mar, 15:00", Status(cut, ticket.Id)), Slow);
    }

    [Fact]
    public async Task TheFileAttachedAfterTheSale_LeavesTheRowJustSold()
    {
        var ticket = await ListTicketAsync(_me, "File comes later", eventDate: null);
        await SellAsync(Guid.NewGuid(), ticket.Id);
        var before = RenderMyListings();
        before.WaitForAssertion(() => Assert.NotEmpty(before.FindAll("[data-file-due]")), Slow);

        await Files.AttachAsync(new(_me), ticket.Id, "seat.pdf", SampleTicketFiles.Pdf());
        var after = RenderMyListings();

        after.WaitForAssertion(() => Assert.Equal("Sold", Status(after, ticket.Id)), Slow);
        Assert.Empty(after.FindAll("[data-file-due]"));
    }

    /// <summary>Three listings of mine: sold without a file, sold with one, and still for sale.</summary>
    private async Task<(Guid WithoutFile, Guid WithFile, Guid Available)> ListAndSellAsync()
    {
        var withoutFile = await ListTicketAsync(_me, "Sold, no file yet", eventDate: null);
        var withFile = await ListTicketAsync(_me, "Sold with its file", eventDate: null);
        var available = await ListTicketAsync(_me, "Still for sale", eventDate: null);
        await Files.AttachAsync(new(_me), withFile.Id, "seat.pdf", SampleTicketFiles.Pdf());
        await SellAsync(Guid.NewGuid(), withoutFile.Id);
        await SellAsync(Guid.NewGuid(), withFile.Id);
        return (withoutFile.Id, withFile.Id, available.Id);
    }

    private IRenderedComponent<MyListings> RenderMyListings()
    {
        if (!_providersRendered)
        {
            RenderProviders();
            _providersRendered = true;
        }

        var cut = Context.Render<MyListings>(p => p.AddCascadingValue(_berlin));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=loaded]")), Slow);
        return cut;
    }

    private static string Status(IRenderedComponent<MyListings> cut, Guid id) =>
        Text.Of(cut.Find($"[data-ticket-id='{id}'] [data-field=live-status]"));

    private static BrowserTime InBerlin()
    {
        var time = new BrowserTime();
        Assert.True(time.TrySetZone("Europe/Berlin"));
        return time;
    }
}
