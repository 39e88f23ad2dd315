using Microsoft.EntityFrameworkCore;
using Bunit;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

public sealed class TicketDetailTests : UiTestContext
{
    private readonly Guid _seller = Guid.NewGuid();

    [Fact]
    public async Task Detail_ShowsEverythingAboutTheTicket()
    {
        var ticket = await ListTicketAsync(_seller, "Arctic Monkeys, floor", 85.5m, Start.AddDays(30), "O2 Arena", "Row F\nSeat 12");

        var cut = await RenderDetailAsync(ticket.Id);

        Assert.Equal("Arctic Monkeys, floor", Text.Of(cut.Find("h1")));
        Assert.Equal("$85.50", Text.Of(cut.Find("[data-field=price]")));
        Assert.Equal("Saturday 4 April 2026, 12:00 UTC", Text.Of(cut.Find("[data-field=event-date]")));
        Assert.Equal("O2 Arena", Text.Of(cut.Find("[data-field=venue]")));
        Assert.Equal("Row F\nSeat 12", cut.Find("[data-field=description]").TextContent.Trim());
        Assert.Equal("available", cut.Find("[data-ticket-id]").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Anonymous_IsAskedToSignInToBuy()
    {
        var ticket = await ListTicketAsync(_seller);

        var cut = await RenderDetailAsync(ticket.Id);

        var signIn = cut.Find("[data-action=sign-in-to-buy]");
        Assert.Equal("Sign in to buy", Text.Of(signIn));
        Assert.Equal($"/account/login?returnUrl=%2Ftickets%2F{ticket.Id}", signIn.GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-action=purchase]"));
    }

    [Fact]
    public async Task Purchase_ReservesTheTicketAndOpensTheOrder()
    {
        var ticket = await ListTicketAsync(_seller);
        var buyer = SignInNewUser();
        var cut = await RenderDetailAsync(ticket.Id);

        cut.Find("[data-action=purchase]").Click();

        cut.WaitForAssertion(() => Assert.Matches($"/orders/[0-9a-f-]{{36}}$", Navigation.Uri));
        var orderId = Guid.Parse(Navigation.Uri[^36..]);
        var reserved = await Listings.FindAsync(ticket.Id);
        Assert.Equal("reserved", reserved!.Status);
        Assert.Equal(orderId, reserved.OrderId);
        Assert.Equal(buyer.UserId, (await TicketOrders.GetAsync(buyer, orderId)).UserId);
    }

    [Fact]
    public async Task ReservedBySomeoneElse_PurchaseIsDisabledUntilTheHoldEnds()
    {
        var ticket = await ListTicketAsync(_seller);
        await ReserveAsync(Guid.NewGuid(), ticket.Id);
        SignInNewUser();

        var cut = await RenderDetailAsync(ticket.Id);

        var purchase = cut.Find("[data-action=purchase]");
        Assert.True(purchase.HasAttribute("disabled"));
        Assert.Equal("Reserved until 12:15 UTC", Text.Of(purchase));
        Assert.Equal("reserved", cut.Find(".status-chip").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Sold_PurchaseIsDisabledAndSaysSold()
    {
        var ticket = await ListTicketAsync(_seller);
        await SellAsync(Guid.NewGuid(), ticket.Id);
        SignInNewUser();

        var cut = await RenderDetailAsync(ticket.Id);

        var purchase = cut.Find("[data-action=purchase]");
        Assert.True(purchase.HasAttribute("disabled"));
        Assert.Equal("Sold", Text.Of(purchase));
    }

    [Fact]
    public async Task Seller_SeesEditInsteadOfPurchase()
    {
        var ticket = await ListTicketAsync(_seller);
        SignIn(_seller, "seller@example.com");

        var cut = await RenderDetailAsync(ticket.Id);

        Assert.Empty(cut.FindAll("[data-action=purchase]"));
        Assert.Equal($"/tickets/{ticket.Id}/edit", cut.Find("[data-action=edit]").GetAttribute("href"));
        Assert.Contains("This is your listing", cut.Markup);
    }

    [Fact]
    public async Task Seller_OfAReservedTicket_CannotEditIt()
    {
        var ticket = await ListTicketAsync(_seller);
        await ReserveAsync(Guid.NewGuid(), ticket.Id);
        SignIn(_seller, "seller@example.com");

        var cut = await RenderDetailAsync(ticket.Id);

        Assert.True(cut.Find("[data-action=edit]").HasAttribute("disabled"));
        Assert.Contains("can't be edited until the reservation ends", Text.Of(cut.Find("[data-state=edit-blocked]")));
    }

    [Fact]
    public async Task Admin_CanBuyAndEditSomeoneElsesListing()
    {
        var ticket = await ListTicketAsync(_seller);
        SignInNewUser("boss", admin: true);

        var cut = await RenderDetailAsync(ticket.Id);

        Assert.False(cut.Find("[data-action=purchase]").HasAttribute("disabled"));
        Assert.Equal("Edit as admin", Text.Of(cut.Find("[data-action=edit]")));
    }

    [Fact]
    public async Task PushedLock_DisablesPurchaseLive_AndPushedUnlockEnablesItAgain()
    {
        var ticket = await ListTicketAsync(_seller);
        SignInNewUser();
        var cut = await RenderDetailAsync(ticket.Id);
        Assert.False(cut.Find("[data-action=purchase]").HasAttribute("disabled"));

        var (locked, order) = await ReserveAsync(Guid.NewGuid(), ticket.Id);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-action=purchase]").HasAttribute("disabled")));
        Assert.Equal("Reserved until 12:15 UTC", Text.Of(cut.Find("[data-action=purchase]")));

        await TicketOrders.CancelAsync(new(order.UserId), order.Id);
        Publish(LiveMethods.TicketUnlocked, (await Listings.FindAsync(ticket.Id))!);

        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-action=purchase]").HasAttribute("disabled")));
        Assert.Equal("Purchase", Text.Of(cut.Find("[data-action=purchase]")));
    }

    [Fact]
    public async Task TheFileTakenOffTheListing_TurnsInstantDeliveryIntoTheSellersPromiseLive()
    {
        var ticket = await ListTicketAsync(_seller);
        var files = Service<Ticketing.Infrastructure.Delivery.TicketFiles>();
        await files.AttachAsync(new(_seller), ticket.Id, "seat.pdf", SampleTicketFiles.Pdf());
        SignInNewUser();
        var cut = await RenderDetailAsync(ticket.Id);
        cut.WaitForAssertion(() => Assert.Equal("file", cut.Find("[data-delivery]").GetAttribute("data-delivery")), TimeSpan.FromSeconds(10));

        await files.RemoveAsync(new(_seller), ticket.Id);
        Publish(LiveMethods.TicketUpdated, (await Listings.FindAsync(ticket.Id))!);

        cut.WaitForAssertion(() => Assert.Equal("after-sale", cut.Find("[data-delivery]").GetAttribute("data-delivery")), TimeSpan.FromSeconds(10));
        Assert.Contains("The seller sends it after the sale", Text.Of(cut.Find("[data-delivery]")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItsSeller_SeesBy_WhenToAttachTheFileOfATicketSoldWithoutOne_AndNobodyElseDoes()
    {
        var seller = SignInNewUser("seller");
        var ticket = await ListTicketAsync(seller.UserId, "No file yet");
        var buyer = Guid.NewGuid();
        RenderProviders();
        var cut = Context.Render<TicketDetail>(p => p.Add(d => d.Id, ticket.Id));
        cut.WaitForAssertion(() => Assert.Equal("after-sale", cut.Find("[data-delivery]").GetAttribute("data-delivery")), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-file-due]"));

        await SellAsync(buyer, ticket.Id);
        Publish(LiveMethods.TicketSold, (await Listings.FindAsync(ticket.Id))!);

        DateTimeOffset due;
        await using (var db = Service<IDbContextFactory<Ticketing.Infrastructure.Persistence.TicketingDbContext>>().CreateDbContext())
        {
            due = (await db.Set<Ticketing.Domain.Delivery.ETicket>().SingleAsync(t => t.TicketId == ticket.Id)).SellerSendsBy!.Value;
        }

        cut.WaitForAssertion(() => Assert.Contains($"attach it by {due.UtcDateTime:ddd d MMM, HH:mm}", Text.Of(cut.Find("[data-file-due]")), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.NotEmpty(cut.FindAll("[data-action=attach-file]"));

        // Anyone else sees how a buyer gets the ticket, not the seller's deadline.
        SignInNewUser();
        var other = Context.Render<TicketDetail>(p => p.Add(d => d.Id, ticket.Id));
        other.WaitForAssertion(() => Assert.Equal("after-sale", other.Find("[data-delivery]").GetAttribute("data-delivery")), TimeSpan.FromSeconds(10));
        Assert.Empty(other.FindAll("[data-file-due]"));
        Assert.Empty(other.FindAll("[data-action=attach-file]"));
    }

    [Fact]
    public async Task AReservationHeardLive_IsAnnouncedAsTheViewersOwn_WhenItIs()
    {
        var mine = await ListTicketAsync(_seller, "Mine");
        var theirs = await ListTicketAsync(_seller, "Theirs");
        var buyer = SignInNewUser();
        RenderProviders();

        var heardForMine = await HeardWhenReservedAsync(mine.Id, buyer.UserId);
        var heardForTheirs = await HeardWhenReservedAsync(theirs.Id, Guid.NewGuid());

        Assert.Equal("Reserved for you", heardForMine);
        Assert.Equal("This ticket was just reserved", heardForTheirs);
    }

    /// <summary>What the page's live region says when <paramref name="buyerId"/> reserves the ticket elsewhere (another tab, the API).</summary>
    private async Task<string> HeardWhenReservedAsync(Guid ticketId, Guid buyerId)
    {
        var announcer = new Ticketing.Web.Components.Shared.LiveAnnouncer();
        var cut = Context.Render<Microsoft.AspNetCore.Components.CascadingValue<Ticketing.Web.Components.Shared.LiveAnnouncer>>(p => p
            .Add(c => c.Value, announcer)
            .AddChildContent<TicketDetail>(d => d.Add(x => x.Id, ticketId)));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-state=loading]")), TimeSpan.FromSeconds(10));

        var (locked, _) = await ReserveAsync(buyerId, ticketId);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.Equal("reserved", cut.Find("[data-ticket-id]").GetAttribute("data-status")), TimeSpan.FromSeconds(10));
        cut.WaitForAssertion(() => Assert.NotEqual(string.Empty, announcer.Message), TimeSpan.FromSeconds(10));
        return announcer.Message;
    }

    [Fact]
    public async Task InAMarketOfThousands_OnlyThisTicketsChangesReachThePage()
    {
        var market = await Catalogue.ListTicketsAsync(DatabasePath, _seller, 3_000, Start.AddMinutes(-5));
        var ticket = market[1_500];
        SignInNewUser();
        var cut = await RenderDetailAsync(ticket.Id);

        foreach (var other in new[] { market[0], market[1_499], market[^1] })
        {
            Publish(LiveMethods.TicketLocked, (await ReserveAsync(Guid.NewGuid(), other.Id)).Ticket);
        }

        Publish(LiveMethods.TicketLocked, (await ReserveAsync(Guid.NewGuid(), ticket.Id)).Ticket);

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-action=purchase]").HasAttribute("disabled")));
        Assert.Equal(ticket.Title, Text.Of(cut.Find("h1")));
        Assert.Equal((ticket.Id.ToString(), "1"), (cut.Find("[data-ticket-id]").GetAttribute("data-ticket-id"), cut.Find("[data-ticket-id]").GetAttribute("data-version")));
    }

    [Fact]
    public async Task Purchase_LostToAnotherBuyer_ExplainsWhyAndShowsTheHold()
    {
        var ticket = await ListTicketAsync(_seller);
        SignInNewUser();
        var cut = await RenderDetailAsync(ticket.Id);
        await ReserveAsync(Guid.NewGuid(), ticket.Id);

        cut.Find("[data-action=purchase]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Ticket is already reserved", Text.Of(cut.Find("[data-state=purchase-error]"))));
        Assert.True(cut.Find("[data-action=purchase]").HasAttribute("disabled"));
        Assert.DoesNotContain("/orders/", Navigation.Uri);
    }

    [Fact]
    public async Task OwnReservation_OffersToContinueToPayment()
    {
        var ticket = await ListTicketAsync(_seller);
        var buyer = SignInNewUser();
        var (_, order) = await ReserveAsync(buyer.UserId, ticket.Id);

        var cut = await RenderDetailAsync(ticket.Id);

        Assert.Equal($"/orders/{order.Id}", cut.Find("[data-action=continue-order]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-action=purchase]"));
    }

    [Fact]
    public async Task UnknownTicket_ShowsAFriendlyNotFound()
    {
        var cut = await RenderDetailAsync(Guid.NewGuid());

        Assert.Contains("Ticket not found", cut.Find("[data-state=not-found]").TextContent);
    }

    [Fact]
    public async Task PushedWithdrawal_TellsTheViewer()
    {
        var ticket = await ListTicketAsync(_seller);
        var cut = await RenderDetailAsync(ticket.Id);

        await Listings.WithdrawAsync(new(_seller), ticket.Id);
        Publish(LiveMethods.TicketWithdrawn, ticket with { Version = 1 });

        cut.WaitForAssertion(() => Assert.Contains("This listing was withdrawn", cut.Find("[data-state=withdrawn]").TextContent));
    }

    private Task<IRenderedComponent<TicketDetail>> RenderDetailAsync(Guid id)
    {
        RenderProviders();
        var cut = Context.Render<TicketDetail>(p => p.Add(d => d.Id, id));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-state=loading]")), TimeSpan.FromSeconds(10));
        return Task.FromResult(cut);
    }
}
