using AngleSharp.Dom;
using Bunit;
using Ticketing.Infrastructure.Orders;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>
/// The order page for a German reader in Berlin paying in euros: prices written the German way,
/// times in the reader's zone and German order, and every word of the page in German.
/// </summary>
public sealed class GermanOrderPageTests() : UiTestContext(settings: new Dictionary<string, string?> { ["Payments:Currency"] = "eur" })
{
    private readonly BrowserTime _berlin = InBerlin();
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
    public async Task ReservedOrder_InGerman_ShowsEurosTheGermanWay_TheCountdown_AndGermanWords()
    {
        using var german = new CultureScope("de");
        var order = await ReserveNewTicketAsync(1250.5m);
        Clock.Advance(TimeSpan.FromSeconds(150));

        var page = RenderOrder(order.Id);

        Assert.Equal("1.250,50 €", Text.Of(page.Find("[data-order-price]")));
        Assert.Equal("noch 12:30", Text.Of(page.Find("[data-countdown]")));
        Assert.Contains("Reserviert", Text.Of(page.Find("[data-status-chip]")));
        Assert.Contains("zum Bezahlen. Danach geht das Ticket zurück in den Verkauf.", page.Markup);
        Assert.Contains(page.FindAll("button"), b => Text.Of(b) == "Bezahlen");
        Assert.Contains(page.FindAll("button"), b => Text.Of(b) == "Bestellung stornieren");
        Assert.Contains("Meine Bestellungen", Text.Of(page.Find("a[href='/orders']")));
        AssertNoEnglish(page);
    }

    [Fact]
    public async Task PaidOrder_InGerman_ShowsTheDeliveryDeadlineInBerlinTime_AndGermanWords()
    {
        using var german = new CultureScope("de");
        var order = await ReserveNewTicketAsync(85m);
        await PayAsync(_buyerId, order.Id);

        var page = RenderOrder(order.Id);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-seller-sends-by]")));

        Assert.Equal("85,00 €", Text.Of(page.Find("[data-order-price]")));
        Assert.Contains("Bezahlt", Text.Of(page.Find("[data-status-chip]")));
        Assert.Equal("Bezahlt. Das Ticket gehört dir.", Text.Of(page.Find("[data-paid]")));

        // Paid at 12:00 UTC on Thursday 5 March 2026; the seller has 48 hours: Saturday, 13:00 in Berlin (UTC+1).
        Assert.Contains("spätestens bis Sa, 7. März, 13:00.", Text.Of(page.Find("[data-seller-sends-by]")));
        Assert.Contains("Dein Ticket", page.Markup);
        AssertNoEnglish(page);
    }

    [Fact]
    public async Task SameOrder_InEnglish_ReadsAsBefore()
    {
        using var english = new CultureScope("en");
        var order = await ReserveNewTicketAsync(1250.5m);
        await PayAsync(_buyerId, order.Id);

        var page = RenderOrder(order.Id);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-seller-sends-by]")));

        Assert.Equal("€1,250.50", Text.Of(page.Find("[data-order-price]")));
        Assert.Equal("Paid. The ticket is yours.", Text.Of(page.Find("[data-paid]")));
        Assert.Contains("by Sat 7 Mar, 13:00.", Text.Of(page.Find("[data-seller-sends-by]")));
    }

    private static void AssertNoEnglish(IRenderedComponent<OrderDetails> page)
    {
        foreach (var english in new[] { "My orders", "Order", "Pay", "Cancel order", "left", "Paid.", "Your ticket", "Reserved" })
        {
            Assert.DoesNotContain(page.FindAll("button, a, h1, h2, p, span, strong, div.mud-alert-message"), e => Text.Of(e) == english);
        }
    }

    private async Task<OrderView> ReserveNewTicketAsync(decimal price)
    {
        var ticket = await ListTicketAsync(_sellerId, "Arctic Monkeys, O2 Arena", price);
        return (await ReserveAsync(_buyerId, ticket.Id)).Order;
    }

    private IRenderedComponent<OrderDetails> RenderOrder(Guid id)
    {
        var page = Context.Render<OrderDetails>(p => p.Add(x => x.Id, id).AddCascadingValue(_berlin));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")));
        return page;
    }

    private static BrowserTime InBerlin()
    {
        var time = new BrowserTime();
        Assert.True(time.TrySetZone("Europe/Berlin"));
        return time;
    }
}
