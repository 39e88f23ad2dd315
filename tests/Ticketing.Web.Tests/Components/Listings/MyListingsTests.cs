using Bunit;
using Ticketing.Web.Components.Pages.Listings;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Listings;

public sealed class MyListingsTests : UiTestContext
{
    private readonly Guid _me = Guid.NewGuid();

    [Fact]
    public async Task ShowsOnlyMyListings_WithTheirLiveStatus()
    {
        var available = await ListTicketAsync(_me, "Mine, free");
        var reserved = await ListTicketAsync(_me, "Mine, held");
        var sold = await ListTicketAsync(_me, "Mine, gone");
        await ListTicketAsync(Guid.NewGuid(), "Someone else's");
        await ReserveAsync(Guid.NewGuid(), reserved.Id);
        await SellAsync(Guid.NewGuid(), sold.Id);
        SignIn(_me, "me@example.com");

        var cut = RenderMyListings();

        Assert.Equal(3, cut.FindAll("[data-ticket-id]").Count);
        Assert.Equal("Available", Status(cut, available.Id));
        Assert.Equal("Reserved by a buyer — 15:00 left", Status(cut, reserved.Id));
        Assert.Equal("Sold — attach the ticket file by Sat 7 Mar, 12:00 UTC", Status(cut, sold.Id));
        Assert.Equal($"/tickets/{available.Id}/edit", Row(cut, available.Id).QuerySelector("[data-action=edit]")!.GetAttribute("href"));
        Assert.Null(Row(cut, reserved.Id).QuerySelector("[data-action=edit]"));
        Assert.Equal("3 listings · 1 available · 1 reserved · 1 sold", Text.Of(cut.Find(".result-count")));
    }

    [Fact]
    public async Task ReservationCountdown_TicksEverySecond()
    {
        var ticket = await ListTicketAsync(_me);
        Clock.Advance(TimeSpan.FromSeconds(30));
        await ReserveAsync(Guid.NewGuid(), ticket.Id);
        Clock.Advance(TimeSpan.FromMinutes(2));
        SignIn(_me, "me@example.com");
        var cut = RenderMyListings();
        Assert.Equal("Reserved by a buyer — 13:00 left", Status(cut, ticket.Id));

        // The countdown moves a few milliseconds after each second boundary.
        Clock.Advance(TimeSpan.FromSeconds(30.01));

        cut.WaitForAssertion(() => Assert.Equal("Reserved by a buyer — 12:30 left", Status(cut, ticket.Id)));
    }

    [Fact]
    public async Task PushedLock_ShowsTheBuyersHoldLive()
    {
        var ticket = await ListTicketAsync(_me);
        SignIn(_me, "me@example.com");
        var cut = RenderMyListings();
        Assert.Equal("Available", Status(cut, ticket.Id));

        var (locked, _) = await ReserveAsync(Guid.NewGuid(), ticket.Id);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.Equal("Reserved by a buyer — 15:00 left", Status(cut, ticket.Id)));
        Assert.Equal("reserved", Row(cut, ticket.Id).GetAttribute("data-status"));
    }

    [Fact]
    public async Task PushedListings_OfOtherSellers_StayOut()
    {
        await ListTicketAsync(_me, "Mine");
        SignIn(_me, "me@example.com");
        var cut = RenderMyListings();

        Publish(LiveMethods.TicketCreated, await ListTicketAsync(Guid.NewGuid(), "Not mine"));
        Publish(LiveMethods.TicketCreated, await ListTicketAsync(_me, "Also mine"));

        cut.WaitForAssertion(() => Assert.Equal(["Also mine", "Mine"], cut.FindAll(".listing-row__title").Select(Text.Of)));
    }

    [Fact]
    public void NoListings_InvitesToSell()
    {
        SignIn(_me, "me@example.com");

        var cut = RenderMyListings();

        Assert.Contains("You haven't listed any tickets yet", cut.Markup);
    }

    private IRenderedComponent<MyListings> RenderMyListings()
    {
        RenderProviders();
        var cut = Context.Render<MyListings>();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-state=loading]")));
        return cut;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MyListings> cut, Guid id) => cut.Find($"[data-ticket-id='{id}']");

    private static string Status(IRenderedComponent<MyListings> cut, Guid id) =>
        Text.Of(Row(cut, id).QuerySelector("[data-field=live-status]")!);
}
