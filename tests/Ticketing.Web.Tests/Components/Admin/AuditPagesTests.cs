using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The admin's audit pages: one order's and one listing's history, the search, and new steps arriving live.</summary>
public sealed class AuditPagesTests : AdminPageTestContext
{
    [Fact]
    public async Task OrderHistory_ShowsTheOrderAndEveryStep_OldestFirst_WithWhoTookIt()
    {
        var ticket = await ListTicketAsync(SellerId, "Opera night", 64m);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        await PayAsync(BuyerId, order.Id);

        var page = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id));

        page.WaitForAssertion(() => Assert.Equal(["Reserved", "PaymentStarted", "Paid"], Steps(page)));
        Assert.Equal(["Buyer", "Buyer", "Gateway"], Actors(page));
        var header = page.Find($"[data-audit-order='{order.Id}']");
        Assert.Contains("Opera night", header.TextContent);
        Assert.Contains("$64.00", header.TextContent);
        Assert.Contains("buyer@example.com", page.Markup);
        Assert.Equal($"admin/listings/{ticket.Id}/audit", page.Find("[data-listing-history]").GetAttribute("href"));
        Assert.Contains("3 steps", page.Find("[data-audit-total]").TextContent);
    }

    [Fact]
    public async Task OrderHistory_ShowsANewStep_WhenTheChangeIsPushed()
    {
        var ticket = await ListTicketAsync(SellerId, "Live gig", 30m);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        var page = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id));
        page.WaitForAssertion(() => Assert.Equal(["Reserved"], Steps(page)));

        var paid = await PayAsync(BuyerId, order.Id);
        Assert.Equal(["Reserved"], Steps(page));
        PublishOrder(paid);

        page.WaitForAssertion(() => Assert.Equal(["Reserved", "PaymentStarted", "Paid"], Steps(page)));
        page.WaitForAssertion(() => Assert.Contains("Paid", page.Find("[data-status-chip]").TextContent));
    }

    [Theory]
    [InlineData(true, "Cancelled by admin")]
    [InlineData(false, "Cancelled by buyer")]
    public async Task OrderHistory_OfACancelledOrder_SaysWhoCancelledIt_AsTheOrdersGridDoes(bool byAdmin, string label)
    {
        var ticket = await ListTicketAsync(SellerId, "Changed my mind", 40m);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        await TicketOrders.CancelAsync(new Actor(byAdmin ? AdminId : BuyerId, IsAdmin: byAdmin), order.Id);

        var page = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id));

        page.WaitForAssertion(() => Assert.Equal(label, Text.Of(page.Find("[data-status-chip]"))), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task OrderHistory_OfAReservationPastItsWindow_SaysExpired_AsTheOrdersGridDoes_BeforeTheExpiryJobRuns()
    {
        var ticket = await ListTicketAsync(SellerId, "Late again", 40m);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        Clock.Advance(order.ExpiresAt - Clock.GetUtcNow() + TimeSpan.FromSeconds(1));

        var page = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id));

        page.WaitForAssertion(() => Assert.Equal("Expired", Text.Of(page.Find("[data-status-chip]"))), TimeSpan.FromSeconds(15));
        Assert.Equal("created", page.Find("[data-status-chip]").GetAttribute("data-status-chip"));
    }

    [Fact]
    public async Task ListingHistory_ShowsTheListingAndItsOrders_WithLinksToEachOrder()
    {
        var ticket = await ListTicketAsync(SellerId, "Twice reserved", 20m);
        var first = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        await TicketOrders.CancelAsync(new Actor(BuyerId), first.Id);
        var second = (await ReserveAsync(BuyerId, ticket.Id)).Order;

        var page = Context.Render<ListingAudit>(p => p.Add(x => x.TicketId, ticket.Id));

        page.WaitForAssertion(() => Assert.Equal(["Listed", "Reserved", "Cancelled", "Reserved"], Steps(page)));
        Assert.Equal(["Seller", "Buyer", "Buyer", "Buyer"], Actors(page));
        Assert.Equal(
            [$"admin/orders/{first.Id}/audit", $"admin/orders/{first.Id}/audit", $"admin/orders/{second.Id}/audit"],
            page.FindAll("[data-audit-order-link]").Select(a => a.GetAttribute("href")));
        Assert.Contains("seller@example.com", page.Find($"[data-audit-listing='{ticket.Id}']").ParentElement!.TextContent);
    }

    [Fact]
    public async Task ListingHistory_OfAWithdrawnListing_IsStillShown()
    {
        var ticket = await ListTicketAsync(SellerId, "Gone gig", 20m);
        await Listings.WithdrawAsync(new Actor(AdminId, IsAdmin: true), ticket.Id);

        var page = Context.Render<ListingAudit>(p => p.Add(x => x.TicketId, ticket.Id));

        page.WaitForAssertion(() => Assert.Equal(["Listed", "Withdrawn"], Steps(page)));
        Assert.Equal("withdrawn", page.Find("[data-listing-state]").TextContent.Trim());
    }

    [Fact]
    public async Task Search_ByEmail_ListsThatUsersSteps_NewestFirst()
    {
        var otherBuyer = await CreateUserAsync("someone-else@example.com");
        var mine = (await ReserveAsync(BuyerId, (await ListTicketAsync(SellerId, "Mine", 10m)).Id)).Order;
        await ReserveAsync(otherBuyer, (await ListTicketAsync(SellerId, "Theirs", 11m)).Id);
        await PayAsync(BuyerId, mine.Id);
        Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("admin/audit?q=buyer%40example.com");

        var page = Context.Render<AuditSearch>();

        page.WaitForAssertion(() => Assert.Equal(["Paid", "PaymentStarted", "Reserved"], Steps(page)));
        Assert.All(page.FindAll("[data-audit-order-link]"), a => Assert.Equal($"admin/orders/{mine.Id}/audit", a.GetAttribute("href")));
    }

    [Fact]
    public async Task Pages_ForANonAdmin_ShowNoHistory()
    {
        var order = (await ReserveAsync(BuyerId, (await ListTicketAsync(SellerId, "Secret", 10m)).Id)).Order;
        SignIn(BuyerId, "buyer@example.com");

        var orderPage = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id));
        var searchPage = Context.Render<AuditSearch>();

        foreach (var (markup, denied, grids) in new[] { Shown(orderPage), Shown(searchPage) })
        {
            Assert.True(denied);
            Assert.Equal(0, grids);
            Assert.DoesNotContain("Secret", markup);
        }
    }

    [Fact]
    public async Task RefundFromTheDashboard_WithdrawsTheTicket_AndTheOrderHistoryShowsIt()
    {
        var ticket = await ListTicketAsync(SellerId, "Refund me", 48m);
        var order = await PayAsync(BuyerId, ((await ReserveAsync(BuyerId, ticket.Id)).Order).Id);
        var providers = RenderProviders();
        var dashboard = Context.Render<Dashboard>();
        dashboard.WaitForAssertion(() => Assert.NotNull(dashboard.Find($"[data-order-id='{order.Id}']")));
        var row = dashboard.Find($"[data-order-id='{order.Id}']").Closest("tr")!;
        Assert.Equal($"admin/orders/{order.Id}/audit", row.QuerySelector("[data-action=order-history]")!.GetAttribute("href"));

        var clicking = row.QuerySelector("[data-action=refund]")!.ClickAsync(new());
        providers.WaitForAssertion(() => Assert.NotNull(providers.Find("[data-refund-dialog]")));
        Assert.True(providers.Find("[data-refund-confirm]").HasAttribute("disabled"));
        await providers.Find("textarea[data-refund-reason-input]").InputAsync(new() { Value = "Seller could not deliver" });
        await providers.Find("input[data-refund-withdraw]").ClickAsync(new());
        await providers.Find("[data-refund-confirm]").ClickAsync(new());
        await clicking;

        dashboard.WaitForAssertion(() => Assert.Equal("refunded", dashboard.Find($"[data-order-id='{order.Id}']").GetAttribute("data-order-status")));
        Assert.Null(dashboard.Find($"[data-order-id='{order.Id}']").Closest("tr")!.QuerySelector("[data-action=refund]"));
        await using (var db = Service<IDbContextFactory<TicketingDbContext>>().CreateDbContext())
        {
            Assert.True((await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id)).IsWithdrawn);
        }

        var history = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id));
        history.WaitForAssertion(() => Assert.Equal(["Reserved", "PaymentStarted", "Paid", "Refunded", "MoneyReturned"], Steps(history)));
        Assert.Equal("Admin", Actors(history)[3]);
        Assert.Contains("Seller could not deliver; the ticket is withdrawn", history.FindAll("[data-audit-detail]")[3].TextContent);
    }

    private static List<string?> Steps<T>(IRenderedComponent<T> page)
        where T : IComponent => page.FindAll("[data-audit-step]").Select(e => e.GetAttribute("data-audit-step")).ToList();

    private static List<string?> Actors<T>(IRenderedComponent<T> page)
        where T : IComponent => page.FindAll("[data-audit-step]").Select(e => e.GetAttribute("data-audit-actor")).ToList();

    private static (string Markup, bool Denied, int Grids) Shown<T>(IRenderedComponent<T> page)
        where T : IComponent => (page.Markup, page.FindAll("[data-admin-denied]").Count == 1, page.FindAll("[data-audit-grid]").Count);
}
