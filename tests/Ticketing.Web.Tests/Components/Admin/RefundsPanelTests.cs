using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The admin's refunds and disputes: every charge whose money did not stay, paged in the database.</summary>
public sealed class RefundsPanelTests : UiTestContext
{
    [Fact]
    public async Task Dashboard_ShowsTheRefundsPanelToAnAdmin()
    {
        await using (var scope = Context.Services.CreateAsyncScope())
        {
            var admin = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(DatabaseInitializer.DefaultAdminEmail);
            SignIn(admin!.Id, DatabaseInitializer.DefaultAdminEmail, admin: true);
        }

        RenderProviders();
        var page = Context.Render<Dashboard>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-refunds] [data-refunds-empty]")));
        Assert.Contains("Refunds and disputes", page.Find("#refunds-heading").TextContent);
    }

    [Fact]
    public void Render_WithNoRefunds_SaysEveryChargePaidForItsOrder()
    {
        var panel = Context.Render<RefundsPanel>();

        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-refunds-empty]")));
        Assert.Contains("0 in all", panel.Find("[data-refunds-total]").TextContent);
    }

    [Fact]
    public async Task Render_WithThousandsOfRefunds_ShowsOnePageOfThemNewestFirst_AndPagesThroughTheRest()
    {
        const int Refunds = 3_000;
        var sellerId = await CreateUserAsync("seller@example.com");
        var buyerId = await CreateUserAsync("buyer@example.com");
        var order = (await ReserveAsync(buyerId, (await ListTicketAsync(sellerId, "Glastonbury, Sunday")).Id)).Order;
        await using (var db = await Service<IDbContextFactory<TicketingDbContext>>().CreateDbContextAsync())
        {
            for (var i = 0; i < Refunds; i++)
            {
                var payment = Payment.Reject(Guid.NewGuid(), order.Id, 8_500, "usd", $"pi_{i:D5}", RefundReason.OrderCancelled, Start.AddSeconds(i));
                if (i % 3 != 0)
                {
                    payment.CompleteRefund($"re_{i:D5}", Start.AddSeconds(i));
                }

                db.Payments.Add(payment);
            }

            await db.SaveChangesAsync();
        }

        var panel = Context.Render<RefundsPanel>();

        panel.WaitForAssertion(() => Assert.Equal(10, panel.FindAll("[data-refund-state]").Count));
        Assert.Contains($"{Refunds:N0} in all", panel.Find("[data-refunds-total]").TextContent);
        Assert.Contains("pi_02999", panel.Markup);
        Assert.DoesNotContain("pi_02989", panel.Markup);
        Assert.Contains("Glastonbury, Sunday", panel.Markup);
        Assert.Contains("buyer@example.com", panel.Markup);
        Assert.Contains("$85.00", panel.Markup);
        Assert.Equal(
            ["refunded", "refunded", "refund owed"],
            panel.FindAll("[data-refund-state]").Take(3).Select(e => e.GetAttribute("data-refund-state")));
        Assert.Contains("order cancelled before the money arrived", panel.Find("[data-refund-reason]").TextContent);

        await panel.Find("button[aria-label='Next page']").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("pi_02989", panel.Markup));
        Assert.DoesNotContain("pi_02999", panel.Markup);
        Assert.Equal(10, panel.FindAll("[data-refund-state]").Count);
    }
}
