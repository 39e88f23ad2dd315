using Bunit;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

/// <summary>The ticket page says how long a purchase holds the ticket, one minute or several, in English and German.</summary>
public abstract class HoldWindowWordingTests(string minutes) : UiTestContext(settings: new Dictionary<string, string?> { ["Ordering:ReservationMinutes"] = minutes })
{
    protected async Task<string> HintAsync(string culture)
    {
        using var language = new CultureScope(culture);
        var ticket = await ListTicketAsync(Guid.NewGuid());
        SignInNewUser();
        RenderProviders();
        var cut = Context.Render<TicketDetail>(p => p.Add(d => d.Id, ticket.Id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-action=purchase]")));
        return Text.Of(cut.Find(".detail-hint"));
    }
}

public sealed class OneMinuteHoldTests() : HoldWindowWordingTests("1")
{
    [Theory]
    [InlineData("en", "Purchasing holds the ticket for you for 1 minute while you pay.")]
    [InlineData("de", "Beim Kauf wird das Ticket 1 Minute lang für dich zurückgehalten, während du bezahlst.")]
    public async Task OneMinute_IsSingular(string culture, string hint) => Assert.Equal(hint, await HintAsync(culture));
}

public sealed class FifteenMinuteHoldTests() : HoldWindowWordingTests("15")
{
    [Theory]
    [InlineData("en", "Purchasing holds the ticket for you for 15 minutes while you pay.")]
    [InlineData("de", "Beim Kauf wird das Ticket 15 Minuten lang für dich zurückgehalten, während du bezahlst.")]
    public async Task SeveralMinutes_ArePlural(string culture, string hint) => Assert.Equal(hint, await HintAsync(culture));
}
