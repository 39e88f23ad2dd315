using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>The order page: what each status shows, the server-clock countdown and the live flips.</summary>
public sealed class OrderPageTests : UiTestContext
{
    private Guid _sellerId;
    private Guid _buyerId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _sellerId = await CreateUserAsync("seller@example.com");
        _buyerId = await CreateUserAsync("buyer@example.com");
        SignIn(_buyerId, "buyer@example.com");
    }

    [Fact]
    public async Task Render_ReservedOrder_ShowsTicketPriceStatusCountdownAndActions()
    {
        var order = await ReserveNewTicketAsync("Arctic Monkeys, O2 Arena", 85m);
        Clock.Advance(TimeSpan.FromSeconds(150));

        var page = RenderOrder(order.Id);

        Assert.Equal("created", Root(page).GetAttribute("data-order-status"));
        Assert.Equal("Arctic Monkeys, O2 Arena", page.Find("[data-order-title]").TextContent);
        Assert.Equal("$85.00", page.Find("[data-order-price]").TextContent);
        Assert.Contains("Reserved", page.Find("[data-status-chip]").TextContent);
        Assert.Equal("12:30 left", page.Find("[data-countdown]").TextContent);
        Assert.NotNull(PayButton(page));
        Assert.NotNull(Button(page, "Cancel order"));
        Assert.NotNull(page.Find("[data-test-mode]"));
    }

    [Fact]
    public async Task Countdown_TicksEverySecondFromTheServerClock_AndReadsExpiredAtTheEnd()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);
        Assert.Equal("15:00 left", page.Find("[data-countdown]").TextContent);

        // Ticks land a few milliseconds after each whole second, never early.
        Clock.Advance(TimeSpan.FromMilliseconds(1010));
        page.WaitForAssertion(() => Assert.Equal("14:59 left", page.Find("[data-countdown]").TextContent));

        Clock.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(58));
        page.WaitForAssertion(() => Assert.Equal("0:01 left", page.Find("[data-countdown]").TextContent));

        Clock.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Expired", page.Find("[data-countdown]").TextContent);
            Assert.Contains("Expired", page.Find("[data-status-chip]").TextContent);
            Assert.Null(PayButton(page));
        });
    }

    [Fact]
    public async Task Countdown_StopsItsTimer_WhenThePageGoesAway()
    {
        var order = await ReserveNewTicketAsync();
        RenderOrder(order.Id);
        Assert.Equal(1, Clock.ActiveTimers);

        await Context.DisposeComponentsAsync();

        Assert.Equal(0, Clock.ActiveTimers);
    }

    [Fact]
    public async Task Render_PaidOrder_ShowsPaidAndOffersNoPayment()
    {
        var order = await ReserveNewTicketAsync();
        await PayAsync(_buyerId, order.Id);

        var page = RenderOrder(order.Id);

        Assert.Equal("complete", Root(page).GetAttribute("data-order-status"));
        Assert.Contains("Paid", page.Find("[data-status-chip]").TextContent);
        Assert.NotNull(page.Find("[data-paid]"));
        Assert.Null(PayButton(page));
        Assert.Null(Button(page, "Cancel order"));
        Assert.Empty(page.FindAll("[data-countdown]"));
    }

    [Fact]
    public async Task Render_OrderCancelledWithinItsWindow_ShowsCancelled()
    {
        var order = await ReserveNewTicketAsync();
        await TicketOrders.CancelAsync(new Actor(_buyerId), order.Id);

        var page = RenderOrder(order.Id);

        Assert.Equal("cancelled", Root(page).GetAttribute("data-order-status"));
        Assert.Contains("Cancelled", page.Find("[data-status-chip]").TextContent);
        Assert.Null(PayButton(page));
        Assert.Null(Button(page, "Cancel order"));
    }

    [Theory]
    [InlineData(false, "Cancelled by you", "You cancelled this order, and the ticket went back on sale.")]
    [InlineData(true, "Cancelled by admin", "An admin cancelled this order, and the ticket went back on sale.")]
    public async Task Render_CancelledOrder_SaysWhoCancelledIt_AfterItsWindowHasPassed(bool byAdmin, string chip, string outcome)
    {
        var order = await ReserveNewTicketAsync();
        var canceller = byAdmin ? new Actor(await CreateUserAsync("admin@example.com"), IsAdmin: true) : new Actor(_buyerId);
        await TicketOrders.CancelAsync(canceller, order.Id);
        Clock.Advance(TimeSpan.FromMinutes(20));

        var page = RenderOrder(order.Id);

        Assert.Equal("cancelled", Root(page).GetAttribute("data-order-status"));
        Assert.Equal(chip, page.Find("[data-status-chip]").TextContent.Trim());
        Assert.Contains(outcome, page.Markup);
        Assert.DoesNotContain("Expired", page.Markup);
    }

    [Fact]
    public async Task Render_SomeoneElsesOrder_ShowsNotYourOrder()
    {
        var order = await ReserveNewTicketAsync();
        var strangerId = await CreateUserAsync("stranger@example.com");
        SignIn(strangerId, "stranger@example.com");

        var page = RenderOrder(order.Id);

        Assert.NotNull(page.Find("[data-order-state=not-yours]"));
        Assert.Contains("Not your order", page.Markup);
        Assert.DoesNotContain("Arctic Monkeys", page.Markup);
        Assert.Empty(page.FindAll("[data-order-status]"));
    }

    [Fact]
    public void Render_UnknownOrder_ShowsNotFound()
    {
        var page = RenderOrder(Guid.NewGuid());

        Assert.NotNull(page.Find("[data-order-state=not-found]"));
        Assert.Contains("Order not found", page.Markup);
    }

    [Fact]
    public async Task Pay_WithTheVisaTestCard_ShowsPaid()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);

        await PayButton(page)!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")));
        Assert.NotNull(page.Find("[data-paid]"));
        Assert.Null(PayButton(page));
        Assert.Equal("sold", (await Listings.FindAsync(order.Ticket.Id))!.Status);
    }

    [Fact]
    public async Task Pay_WithADeclinedCard_ShowsTheMessageAndStaysPayable()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);

        await page.Find("input[data-test-card=declined]").ClickAsync(new());
        await PayButton(page)!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Your card was declined.", page.Find("[data-pay-error]").TextContent));
        Assert.Equal("created", Root(page).GetAttribute("data-order-status"));
        Assert.False(PayButton(page)!.HasAttribute("disabled"));
        Assert.Equal("reserved", (await Listings.FindAsync(order.Ticket.Id))!.Status);

        // Another card still works while the window is open.
        await page.Find("input[data-test-card=visa]").ClickAsync(new());
        await PayButton(page)!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")));
        Assert.Empty(page.FindAll("[data-pay-error]"));
    }

    [Fact]
    public async Task Cancel_AfterConfirming_CancelsTheOrderAndReleasesTheTicket()
    {
        var order = await ReserveNewTicketAsync();
        var providers = RenderProviders();
        var page = RenderOrder(order.Id);

        // The click's handler waits on the dialog, so it completes only once the dialog is answered.
        var clicking = Button(page, "Cancel order")!.ClickAsync(new());
        await DialogButton(providers, "Yes, cancel it").ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.Equal("cancelled", Root(page).GetAttribute("data-order-status")));
        Assert.Equal("Cancelled by you", page.Find("[data-status-chip]").TextContent.Trim());
        Assert.Equal("available", (await Listings.FindAsync(order.Ticket.Id))!.Status);
    }

    [Fact]
    public async Task Cancel_WhenTheBuyerKeepsTheOrder_ChangesNothing()
    {
        var order = await ReserveNewTicketAsync();
        var providers = RenderProviders();
        var page = RenderOrder(order.Id);

        var clicking = Button(page, "Cancel order")!.ClickAsync(new());
        await DialogButton(providers, "Keep my order").ClickAsync(new());
        await clicking;

        Assert.Equal("created", Root(page).GetAttribute("data-order-status"));
        Assert.Equal("created", (await TicketOrders.GetAsync(new Actor(_buyerId), order.Id)).Status);
    }

    [Fact]
    public async Task LiveUpdate_WhenTheServerSaysPaid_FlipsToPaid()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);

        // Paid elsewhere (another tab, or a Stripe webhook); the outbox pushes the change.
        var paid = await PayAsync(_buyerId, order.Id);
        PublishOrder(paid);

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")));
        Assert.Contains("Paid", page.Find("[data-status-chip]").TextContent);
        Assert.Null(PayButton(page));
    }

    [Fact]
    public async Task LiveUpdate_WhenTheServerSaysExpired_FlipsToExpired()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);

        // The expiry job ran a little after the window closed.
        Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(2));
        PublishOrder(order with { Status = "cancelled", Version = order.Version + 1 }, "expired");

        page.WaitForAssertion(() => Assert.Equal("cancelled", Root(page).GetAttribute("data-order-status")));
        Assert.Contains("Expired", page.Find("[data-status-chip]").TextContent);
        Assert.Equal("Expired", page.Find("[data-countdown]").TextContent);
        Assert.Null(PayButton(page));
    }

    [Fact]
    public async Task LiveUpdate_WhenTheBuyerCancelsInAnotherTab_StaysCancelledByThemOnceTheWindowPasses()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);

        PublishOrder(order with { Status = "cancelled", Version = order.Version + 1 }, "user");
        page.WaitForAssertion(() => Assert.Equal("cancelled", Root(page).GetAttribute("data-order-status")));
        Clock.Advance(TimeSpan.FromMinutes(20));
        page.Render();

        Assert.Equal("Cancelled by you", page.Find("[data-status-chip]").TextContent.Trim());
        Assert.DoesNotContain("Expired", page.Markup);
    }

    [Fact]
    public async Task LiveUpdate_ForAnotherOrderOrAnOlderVersion_IsIgnored()
    {
        var order = await ReserveNewTicketAsync();
        var page = RenderOrder(order.Id);

        PublishOrder(order with { Id = Guid.NewGuid(), Status = "complete", Version = 5 });
        PublishOrder(order with { Status = "cancelled", Version = order.Version - 1 });

        Assert.Equal("created", Root(page).GetAttribute("data-order-status"));
        Assert.NotNull(PayButton(page));
    }

    private async Task<OrderView> ReserveNewTicketAsync(string title = "Arctic Monkeys, O2 Arena", decimal price = 85m)
    {
        var ticket = await ListTicketAsync(_sellerId, title, price);
        return (await ReserveAsync(_buyerId, ticket.Id)).Order;
    }

    private IRenderedComponent<OrderDetails> RenderOrder(Guid id)
    {
        var page = Context.Render<OrderDetails>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")));
        return page;
    }

    private static IElement DialogButton(IRenderedComponent<IComponent> providers, string text)
    {
        providers.WaitForAssertion(() => Assert.Contains(providers.FindAll("button"), b => b.TextContent.Trim() == text));
        return providers.FindAll("button").Single(b => b.TextContent.Trim() == text);
    }

    private static IElement Root(IRenderedComponent<OrderDetails> page) => page.Find("[data-order-status]");

    private static IElement? PayButton(IRenderedComponent<OrderDetails> page) => Button(page, "Pay");

    private static IElement? Button(IRenderedComponent<OrderDetails> page, string text) =>
        page.FindAll("button").SingleOrDefault(b => b.TextContent.Trim() == text);
}
