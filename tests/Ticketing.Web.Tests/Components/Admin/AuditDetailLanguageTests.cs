using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>
/// What each audit step did, as the admin reads it: in the page's language, amounts written the
/// reader's way and instants in the browser's zone like the When column; a step recorded before the
/// trail kept its template reads as it was written.
/// </summary>
public sealed class AuditDetailLanguageTests : AdminPageTestContext
{
    // Reserved at 12:00 UTC on Thursday 5 March 2026 for 15 minutes: 13:15 in Berlin (UTC+1).
    private readonly BrowserTime _berlin = InBerlin();

    [Fact]
    public async Task ListingHistory_InGerman_DescribesEveryStepInGerman_WithGermanAmounts_AndTheDeadlineInBerlinTime()
    {
        using var german = new CultureScope("de");
        var ticketId = await ReserveCancelPayAndRefundAsync();

        var page = RenderListingHistory(ticketId, _berlin);

        var steps = Details(page);
        Assert.Equal("„Oper im Park“ für 1.250,50 $ eingestellt", steps[0].Detail);
        Assert.Equal("Reserviert für 1.250,50 $ bis Do, 5. März 2026, 13:15", steps[1].Detail);
        Assert.Equal("Vom Käufer storniert; das Ticket ist wieder im Verkauf", steps[2].Detail);
        Assert.Equal("Reserviert für 1.250,50 $ bis Do, 5. März 2026, 13:15", steps[3].Detail);
        Assert.Equal("Zahlung begonnen", steps[4].Detail);
        Assert.Matches(@"^1\.250,50 \$ bezahlt \(pi_test_\S+\); das Ticket ist verkauft$", steps[5].Detail);
        Assert.Equal("Show verschoben; das Ticket ist wieder im Verkauf", steps[6].Detail);
        Assert.Matches(@"^1\.250,50 \$ an den Käufer zurückgezahlt \(re_test_\S+\)$", steps[7].Detail);
        Assert.All(steps, s => Assert.DoesNotContain("UTC", s.Detail, StringComparison.Ordinal));
        Assert.All(steps, s => Assert.DoesNotContain("$1,250.50", s.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListingHistory_InEnglish_ReadsAsTheTrailWroteIt_WithTheDeadlineInTheBrowsersZone()
    {
        using var english = new CultureScope("en");
        var ticketId = await ReserveCancelPayAndRefundAsync();

        var inBerlin = Details(RenderListingHistory(ticketId, _berlin));
        var zoneUnknown = Details(RenderListingHistory(ticketId, time: null));

        var stored = await StoredDetailsAsync(ticketId);
        Assert.Equal(stored, zoneUnknown.Select(s => s.Detail));
        Assert.Equal("Reserved at $1,250.50 until Thu 5 Mar 2026, 12:15 UTC", zoneUnknown[1].Detail);
        Assert.Equal("Reserved at $1,250.50 until Thu 5 Mar 2026, 13:15", inBerlin[1].Detail);
        Assert.Equal(
            [
                "Listed “Oper im Park” at $1,250.50",
                "Reserved at $1,250.50 until Thu 5 Mar 2026, 13:15",
                "Cancelled by the buyer; the ticket is back on sale",
                "Reserved at $1,250.50 until Thu 5 Mar 2026, 13:15",
                "Payment started",
                stored[5],
                "Show verschoben; the ticket is back on sale",
                stored[7],
            ],
            inBerlin.Select(s => s.Detail));
    }

    [Fact]
    public async Task AStepRecordedBeforeTemplatesWereKept_ShowsItsDetailAsWritten_BesideGermanSteps()
    {
        using var german = new CultureScope("de");
        var ticket = await ListTicketAsync(SellerId, "Alter Eintrag", 42m);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        const string OldDetail = "Reserved at $42.00 until Mon 7 Dec 2026, 12:38 UTC";
        await using (var db = await Service<IDbContextFactory<TicketingDbContext>>().CreateDbContextAsync())
        {
            db.Set<AuditEntry>().Add(new AuditEntry
            {
                OccurredAt = Clock.GetUtcNow(),
                Step = AuditStep.Reserved,
                Actor = AuditActor.Buyer,
                ActorUserId = BuyerId,
                OrderId = order.Id,
                TicketId = ticket.Id,
                BuyerId = BuyerId,
                SellerId = SellerId,
                Detail = OldDetail,
                EventType = "OrderCreated",
                AggregateId = order.Id,
                Version = 1,
            });
            await db.SaveChangesAsync();
        }

        var page = Context.Render<OrderAudit>(p => p.Add(x => x.OrderId, order.Id).AddCascadingValue(_berlin));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-audit-detail]").Count), TimeSpan.FromSeconds(15));

        var details = page.FindAll("[data-audit-detail]").Select(Text.Of).ToList();
        Assert.Equal(["Reserviert für 42,00 $ bis Do, 5. März 2026, 13:15", OldDetail], details);
    }

    [Fact]
    public void EveryTemplateOfTheTrail_HasAGermanTranslation_ThatKeepsItsPlaceholders()
    {
        using var german = new CultureScope("de");

        var untranslated = AuditTemplates.All.Where(t => Localizers.Ui[t].ResourceNotFound).ToList();

        Assert.Empty(untranslated);
        var providerRefund = AuditText.Of(AuditTemplates.RefundedRelisted, new AuditPhrase(AuditTemplates.RefundedAtProvider));
        Assert.Equal("Refunded at the payment provider; the ticket is back on sale", providerRefund.English);
        Assert.Equal("Beim Zahlungsanbieter erstattet; das Ticket ist wieder im Verkauf", GermanOf(providerRefund));
        var refused = AuditText.Of(AuditTemplates.PaymentRefused, new AuditMoney(12m, "usd"), new AuditPlain("pi_1"), new AuditPhrase(AuditTemplates.RefusedOrderCancelled));
        Assert.Equal("$12.00 arrived (pi_1) but the order had been cancelled; it is owed back", refused.English);
        Assert.Equal("12,00 $ ist eingegangen (pi_1), aber die Bestellung war storniert; der Betrag muss zurückgezahlt werden", GermanOf(refused));
        var disputed = AuditText.Of(AuditTemplates.DisputedWithReason, new AuditPlain("dp_1"), new AuditPlain("fraudulent"));
        Assert.Equal("The buyer's bank disputes the charge (dp_1): fraudulent", disputed.English);
        Assert.Equal("Die Bank des Käufers widerspricht der Abbuchung (dp_1): fraudulent", GermanOf(disputed));
    }

    private static string GermanOf(AuditText text) =>
        AuditDisplay.Detail(new AuditStepView(1, UiTestContext.Start, AuditStep.Refunded, AuditActor.Admin, null, null, null, text.English, text), Localizers.Ui, null)
            .Replace('\u00a0', ' ');

    /// <summary>Listed, reserved and cancelled by the buyer, reserved again, paid, and refunded by the admin back onto the market.</summary>
    private async Task<Guid> ReserveCancelPayAndRefundAsync()
    {
        var ticket = await ListTicketAsync(SellerId, "Oper im Park", 1250.5m);
        var cancelled = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        await TicketOrders.CancelAsync(new Actor(BuyerId), cancelled.Id);
        var order = (await ReserveAsync(BuyerId, ticket.Id)).Order;
        await PayAsync(BuyerId, order.Id);
        await Service<OrderRefunds>().RefundAsync(new Actor(AdminId, IsAdmin: true), order.Id, "Show verschoben", RefundedTicket.Relist);
        return ticket.Id;
    }

    private static readonly string[] ListingSteps = ["Listed", "Reserved", "Cancelled", "Reserved", "PaymentStarted", "Paid", "Refunded", "MoneyReturned"];

    private IRenderedComponent<ListingAudit> RenderListingHistory(Guid ticketId, BrowserTime? time)
    {
        var page = time is null
            ? Context.Render<ListingAudit>(p => p.Add(x => x.TicketId, ticketId))
            : Context.Render<ListingAudit>(p => p.Add(x => x.TicketId, ticketId).AddCascadingValue(time));
        page.WaitForAssertion(() => Assert.Equal(ListingSteps, page.FindAll("[data-audit-step]").Select(e => e.GetAttribute("data-audit-step"))), TimeSpan.FromSeconds(15));
        return page;
    }

    private static List<(string? Step, string Detail)> Details<T>(IRenderedComponent<T> page)
        where T : IComponent =>
        page.FindAll("[data-audit-step]").Select(e => e.GetAttribute("data-audit-step"))
            .Zip(page.FindAll("[data-audit-detail]").Select(Text.Of))
            .ToList();

    private async Task<List<string>> StoredDetailsAsync(Guid ticketId)
    {
        await using var db = await Service<IDbContextFactory<TicketingDbContext>>().CreateDbContextAsync();
        return await db.Set<AuditEntry>().AsNoTracking().Where(a => a.TicketId == ticketId).OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync();
    }

    private static BrowserTime InBerlin()
    {
        var time = new BrowserTime();
        Assert.True(time.TrySetZone("Europe/Berlin"));
        return time;
    }
}
