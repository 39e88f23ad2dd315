using Bunit;
using Microsoft.AspNetCore.Components;
using Ticketing.Web.Components.Pages;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Components.Pages.Listings;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Live;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Live;

/// <summary>
/// Every page that follows live changes listens only once its circuit runs: a prerendered page is
/// thrown away with its response, so a handler or ticket watch taken then would be held for no one.
/// Each page is rendered both ways and counted as soon as its first render returns (pages subscribe
/// in their initialisation, before any database read), so a page that stops listening in its
/// circuit, or subscribes later than that, fails too.
/// </summary>
public sealed class PrerenderedPagesListenToNothingTests() : UiTestContext(interactive: false)
{
    public static TheoryData<string> Pages =>
        ["home", "ticket", "edit-ticket", "my-listings", "my-orders", "order", "dashboard", "order-audit", "listing-audit", "audit-search"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PrerenderedPage_HoldsNoSubscription(string page)
    {
        await RenderAsync(page);

        Assert.Equal(0, Service<LiveUpdates>().Subscriptions);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task InteractivePage_ListensUntilItIsDisposed(string page)
    {
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        await RenderAsync(page);

        Assert.True(Service<LiveUpdates>().Subscriptions > 0, $"The {page} page does not listen in its circuit.");
        await Context.DisposeComponentsAsync();
        Assert.Equal(0, Service<LiveUpdates>().Subscriptions);
    }

    private async Task RenderAsync(string page)
    {
        var sellerId = await CreateUserAsync("seller@example.com");
        var buyerId = await CreateUserAsync("buyer@example.com");
        var ticket = await ListTicketAsync(sellerId);
        var (_, order) = await ReserveAsync(buyerId, ticket.Id);
        if (page is "my-orders" or "order")
        {
            SignIn(buyerId, "buyer@example.com");
        }
        else
        {
            SignIn(sellerId, "seller@example.com", admin: page is "dashboard" or "order-audit" or "listing-audit" or "audit-search");
        }

        (Type Type, string? Name, object? Value) target = page switch
        {
            "home" => (typeof(Home), null, null),
            "ticket" => (typeof(TicketDetail), nameof(TicketDetail.Id), ticket.Id),
            "edit-ticket" => (typeof(EditTicket), nameof(EditTicket.Id), ticket.Id),
            "my-listings" => (typeof(MyListings), null, null),
            "my-orders" => (typeof(MyOrders), null, null),
            "order" => (typeof(OrderDetails), nameof(OrderDetails.Id), order.Id),
            "dashboard" => (typeof(Dashboard), null, null),
            "order-audit" => (typeof(OrderAudit), nameof(OrderAudit.OrderId), order.Id),
            "listing-audit" => (typeof(ListingAudit), nameof(ListingAudit.TicketId), ticket.Id),
            "audit-search" => (typeof(AuditSearch), null, null),
            _ => throw new ArgumentOutOfRangeException(nameof(page), page, "No such page in this test."),
        };

        RenderProviders();
        Context.Render(builder =>
        {
            builder.OpenComponent(0, target.Type);
            if (target.Name is not null)
            {
                builder.AddAttribute(1, target.Name, target.Value);
            }

            builder.CloseComponent();
        });
    }
}
