using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Hubs;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The admin dashboard: figures, the listings grid and its locks, orders, actions and live changes.</summary>
public sealed class DashboardPageTests : AdminPageTestContext
{
    [Fact]
    public async Task Render_ForASignedInNonAdmin_ShowsNoMarketData()
    {
        await ListTicketAsync(SellerId, "Secret gig");
        SignIn(BuyerId, "buyer@example.com");

        var page = Context.Render<Dashboard>();

        Assert.NotNull(page.Find("[data-admin-denied]"));
        Assert.Empty(page.FindAll("[data-listings-grid], [data-orders-grid], [data-figures], [data-export-link]"));
        Assert.DoesNotContain("Secret gig", page.Markup);
    }

    [Fact]
    public void Render_ForAnAnonymousVisitor_ShowsNoMarketData()
    {
        Auth.SetNotAuthorized();

        var page = Context.Render<Dashboard>();

        Assert.NotNull(page.Find("[data-admin-denied]"));
        Assert.Empty(page.FindAll("[data-listings-grid]"));
    }

    [Theory]
    [InlineData(false, "not allowed")]
    [InlineData(true, "Admin dashboard")]
    public void Route_IsGuardedByTheAdminRole(bool isAdmin, string expected)
    {
        if (!isAdmin)
        {
            SignIn(BuyerId, "buyer@example.com");
        }

        // What the app's router does with the page's [Authorize(Roles = "Admin")].
        var routed = Context.Render<AuthorizeRouteView>(p => p
            .Add(x => x.RouteData, new RouteData(typeof(Dashboard), new Dictionary<string, object?>()))
            .Add(x => x.NotAuthorized, (RenderFragment<AuthenticationState>)(_ => b => b.AddContent(0, "not allowed"))));

        routed.WaitForAssertion(() => Assert.Contains(expected, routed.Markup));
        Assert.Equal(!isAdmin, routed.FindAll("[data-listings-grid]").Count == 0);
    }

    [Fact]
    public async Task Figures_CountListingsByStatus_AndSumCompletedOrders()
    {
        await ListTicketAsync(SellerId, "Available gig", 10m);
        await ReserveAsync(BuyerId, (await ListTicketAsync(SellerId, "Reserved gig", 20m)).Id);
        var sold = (await ReserveAsync(BuyerId, (await ListTicketAsync(SellerId, "Sold gig", 50.25m)).Id)).Order;
        await PayAsync(BuyerId, sold.Id);
        var withdrawn = await ListTicketAsync(SellerId, "Withdrawn gig", 99m);
        await Listings.WithdrawAsync(new Actor(SellerId), withdrawn.Id);
        var cancelled = (await ReserveAsync(BuyerId, (await ListTicketAsync(SellerId, "Released gig", 70m)).Id)).Order;
        await TicketOrders.CancelAsync(new Actor(BuyerId), cancelled.Id);

        var page = RenderPage();

        Assert.Equal("4", Figure(page, "listed"));
        Assert.Equal("2", Figure(page, "available"));
        Assert.Equal("1", Figure(page, "reserved"));
        Assert.Equal("1", Figure(page, "sold"));
        Assert.Equal("$50.25", Figure(page, "revenue"));
        Assert.DoesNotContain("Withdrawn gig", page.Markup);
    }

    [Fact]
    public async Task ListingsGrid_DisablesEditAndWithdraw_ForReservedAndSoldRows()
    {
        var available = await ListTicketAsync(SellerId, "Available gig");
        var reserved = await ListTicketAsync(SellerId, "Reserved gig");
        await ReserveAsync(BuyerId, reserved.Id);
        var sold = await ListTicketAsync(SellerId, "Sold gig");
        await PayAsync(BuyerId, ((await ReserveAsync(BuyerId, sold.Id)).Order).Id);

        var page = RenderPage();

        Assert.False(Action(page, available.Id, "edit").HasAttribute("disabled"));
        Assert.False(Action(page, available.Id, "withdraw").HasAttribute("disabled"));
        Assert.True(Action(page, reserved.Id, "edit").HasAttribute("disabled"));
        Assert.True(Action(page, reserved.Id, "withdraw").HasAttribute("disabled"));
        Assert.True(Action(page, sold.Id, "edit").HasAttribute("disabled"));
        Assert.True(Action(page, sold.Id, "withdraw").HasAttribute("disabled"));
        Assert.Contains("seller@example.com", ListingRow(page, available.Id).TextContent);
    }

    [Fact]
    public async Task InlineEdit_SavesTitleAndPrice_KeepingTheOtherDetails()
    {
        var ticket = await ListTicketAsync(SellerId, "Old title", 40m);
        RenderProviders();
        var page = RenderPage();

        await Action(page, ticket.Id, "edit").ClickAsync(new());
        await page.Find("input[data-edit-title]").InputAsync(new() { Value = "New title" });
        await page.Find("input[data-edit-price]").InputAsync(new() { Value = "45.50" });
        await page.Find("[data-action=save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal("New title", page.Find($"[data-listing-id='{ticket.Id}']").TextContent));
        var saved = (await Listings.FindAsync(ticket.Id))!;
        Assert.Equal(("New title", 45.50m, "O2 Arena"), (saved.Title, saved.Price, saved.Venue));
        Assert.Contains("$45.50", ListingRow(page, ticket.Id).TextContent);
        Assert.Empty(page.FindAll("[data-action=save]"));
    }

    [Fact]
    public async Task InlineEdit_OfAListingChangedMeanwhile_ShowsTheConflictAndStaysOpen()
    {
        var ticket = await ListTicketAsync(SellerId, "Old title", 40m);
        var providers = RenderProviders();
        var page = RenderPage();

        await Action(page, ticket.Id, "edit").ClickAsync(new());
        await Listings.EditAsync(new Actor(SellerId), ticket.Id, new TicketInput("Seller's title", 41m, Venue: "O2 Arena"));
        await page.Find("input[data-edit-title]").InputAsync(new() { Value = "Admin's title" });
        await page.Find("[data-action=save]").ClickAsync(new());

        providers.WaitForAssertion(() => Assert.Contains("changed by someone else", providers.Markup));
        Assert.NotEmpty(page.FindAll("[data-action=save]"));
        Assert.Equal("Seller's title", (await Listings.FindAsync(ticket.Id))!.Title);
    }

    [Fact]
    public async Task Withdraw_AfterConfirming_RemovesTheListing()
    {
        var ticket = await ListTicketAsync(SellerId, "Unwanted gig");
        await ListTicketAsync(SellerId, "Other gig");
        var providers = RenderProviders();
        var page = RenderPage();
        Assert.Equal("2", Figure(page, "listed"));

        var clicking = Action(page, ticket.Id, "withdraw").ClickAsync(new());
        await DialogButton(providers, "Withdraw").ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.Empty(page.FindAll($"[data-listing-id='{ticket.Id}']")));
        Assert.Equal("1", Figure(page, "listed"));
        Assert.Null(await Listings.FindAsync(ticket.Id));
    }

    [Fact]
    public async Task CancelReservation_AfterConfirming_CancelsTheOrderAndFreesTheTicket()
    {
        var ticket = await ListTicketAsync(SellerId, "Held gig");
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        var providers = RenderProviders();
        var page = RenderPage();
        var orderRow = OrderRow(page, order.Id);
        Assert.Contains("buyer@example.com", orderRow.TextContent);
        Assert.Contains("15:00 left", orderRow.TextContent);

        var clicking = orderRow.QuerySelector("[data-action=cancel-reservation]")!.ClickAsync(new());
        await DialogButton(providers, "Yes, cancel it").ClickAsync(new());
        await clicking;

        page.WaitForAssertion(() => Assert.Equal("cancelled", OrderStatus(page, order.Id)));
        Assert.Contains("Cancelled by admin", OrderRow(page, order.Id).TextContent);
        Assert.Null(OrderRow(page, order.Id).QuerySelector("[data-action=cancel-reservation]"));
        Assert.Equal("available", (await Listings.FindAsync(ticket.Id))!.Status);
        Assert.Equal("0", Figure(page, "reserved"));
    }

    [Fact]
    public async Task LiveUpdate_NewListing_AppearsAndCounts()
    {
        var page = RenderPage();
        Assert.NotNull(page.Find("[data-listings-empty]"));

        var ticket = await ListTicketAsync(SellerId, "Fresh gig", 30m);
        Publish(LiveMethods.TicketCreated, ticket);

        page.WaitForAssertion(() => Assert.NotNull(page.Find($"[data-listing-id='{ticket.Id}']")));
        page.WaitForAssertion(() => Assert.Equal("1", Figure(page, "listed")));
        Assert.Contains("seller@example.com", ListingRow(page, ticket.Id).TextContent);
    }

    [Fact]
    public async Task LiveUpdate_Reservation_LocksTheRowAndAddsTheOrder()
    {
        var ticket = await ListTicketAsync(SellerId, "Popular gig");
        var page = RenderPage();
        Assert.False(Action(page, ticket.Id, "edit").HasAttribute("disabled"));

        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        Publish(LiveMethods.TicketLocked, (await Listings.FindAsync(ticket.Id))!);
        PublishOrder(order);

        page.WaitForAssertion(() => Assert.True(Action(page, ticket.Id, "edit").HasAttribute("disabled")));
        page.WaitForAssertion(() => Assert.Equal("created", OrderStatus(page, order.Id)));
        page.WaitForAssertion(() => Assert.Equal("1", Figure(page, "reserved")));
        Assert.Equal("reserved", page.Find($"[data-listing-id='{ticket.Id}']").GetAttribute("data-listing-status"));
        Assert.Equal("0", Figure(page, "available"));
    }

    [Fact]
    public async Task LiveUpdate_ReservationDuringAnEdit_EndsTheEdit()
    {
        var ticket = await ListTicketAsync(SellerId, "Contested gig");
        var providers = RenderProviders();
        var page = RenderPage();
        await Action(page, ticket.Id, "edit").ClickAsync(new());
        Assert.NotEmpty(page.FindAll("[data-action=save]"));

        await ReserveAsync(BuyerId, ticket.Id);
        Publish(LiveMethods.TicketLocked, (await Listings.FindAsync(ticket.Id))!);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-action=save]")));
        Assert.True(Action(page, ticket.Id, "edit").HasAttribute("disabled"));
        providers.WaitForAssertion(() => Assert.Contains("can no longer be edited", providers.Markup));
    }

    [Fact]
    public async Task LiveUpdate_Payment_MarksTheOrderPaidAndCountsRevenue()
    {
        var ticket = await ListTicketAsync(SellerId, "Paid gig", 64m);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        var page = RenderPage();

        PublishOrder(await PayAsync(BuyerId, order.Id));
        Publish(LiveMethods.TicketSold, (await Listings.FindAsync(ticket.Id))!);

        page.WaitForAssertion(() => Assert.Equal("complete", OrderStatus(page, order.Id)));
        page.WaitForAssertion(() => Assert.Equal("$64.00", Figure(page, "revenue")));
        page.WaitForAssertion(() => Assert.Equal("1", Figure(page, "sold")));
    }

    [Fact]
    public void Render_OffersTheCsvExport()
    {
        var page = RenderPage();

        var link = page.Find("[data-export-link]");
        Assert.Equal("/admin/export.csv", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
    }

    private IRenderedComponent<Dashboard> RenderPage()
    {
        var page = Context.Render<Dashboard>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-figure=listed]")));
        return page;
    }

    private static string Figure(IRenderedComponent<Dashboard> page, string key) => page.Find($"[data-figure={key}]").TextContent;

    private static IElement ListingRow(IRenderedComponent<Dashboard> page, Guid ticketId) =>
        page.Find($"[data-listing-id='{ticketId}']").Closest("tr")!;

    private static IElement Action(IRenderedComponent<Dashboard> page, Guid ticketId, string action) =>
        ListingRow(page, ticketId).QuerySelector($"[data-action={action}]")!;

    private static IElement OrderRow(IRenderedComponent<Dashboard> page, Guid orderId) =>
        page.Find($"[data-order-id='{orderId}']").Closest("tr")!;

    private static string? OrderStatus(IRenderedComponent<Dashboard> page, Guid orderId) =>
        page.Find($"[data-order-id='{orderId}']").GetAttribute("data-order-status");

    private static IElement DialogButton(IRenderedComponent<IComponent> providers, string text)
    {
        providers.WaitForAssertion(() => Assert.Contains(providers.FindAll("button"), b => b.TextContent.Trim() == text));
        return providers.FindAll("button").Single(b => b.TextContent.Trim() == text);
    }
}
