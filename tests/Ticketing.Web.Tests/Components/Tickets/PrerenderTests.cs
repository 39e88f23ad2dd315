using Bunit;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

/// <summary>The first, prerendered HTML has no circuit behind it: its buttons must not pretend to work.</summary>
public sealed class PrerenderTests() : UiTestContext(interactive: false)
{
    [Fact]
    public async Task Purchase_IsDisabledUntilTheCircuitRuns()
    {
        var ticket = await ListTicketAsync(Guid.NewGuid());
        SignInNewUser();

        var cut = Context.Render<TicketDetail>(p => p.Add(d => d.Id, ticket.Id));

        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-action=purchase]").HasAttribute("disabled")));
        Assert.Equal("available", cut.Find("[data-ticket-id]").GetAttribute("data-status"));
    }

    [Fact]
    public void SaveOnTheSellForm_IsDisabledUntilTheCircuitRuns()
    {
        SignInNewUser("seller");

        var cut = Context.Render<SellTicket>();

        Assert.True(cut.Find("[data-action=save]").HasAttribute("disabled"));
    }
}
