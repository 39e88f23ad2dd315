using Bunit;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Hubs;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Tickets;

public sealed class EditTicketTests : UiTestContext
{
    private readonly Guid _seller = Guid.NewGuid();

    [Fact]
    public async Task Edit_ShowsTheCurrentValues()
    {
        var ticket = await ListTicketAsync(_seller, "Blur, standing", 70m, venue: "Wembley", description: "Two tickets");
        SignIn(_seller, "seller@example.com");

        var cut = RenderEdit(ticket.Id);

        Assert.Equal("Blur, standing", cut.Find("input[data-field=title]").GetAttribute("value"));
        Assert.Equal("70", cut.Find("input[data-field=price]").GetAttribute("value"));
        Assert.Equal("Wembley", cut.Find("input[data-field=venue]").GetAttribute("value"));
    }

    [Fact]
    public async Task Save_ChangesTheListingAndShowsIt()
    {
        var ticket = await ListTicketAsync(_seller, "Blur, standing", 70m);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);

        cut.Find("input[data-field=price]").Input("65");
        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith($"/tickets/{ticket.Id}", Navigation.Uri));
        var saved = await Listings.FindAsync(ticket.Id);
        Assert.Equal((65m, 1), (saved!.Price, saved.Version));
    }

    [Fact]
    public async Task ClicksInQuickSuccession_SaveOnce_AndShowNoConflict()
    {
        var ticket = await ListTicketAsync(_seller, "Blur, standing", 70m);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);
        cut.Find("input[data-field=price]").Input("65");
        var save = cut.Find("[data-action=save]");

        var clicks = await cut.InvokeAsync(() => new[] { save.ClickAsync(new()), save.ClickAsync(new()), save.ClickAsync(new()) });
        await Task.WhenAll(clicks);

        cut.WaitForAssertion(() => Assert.EndsWith($"/tickets/{ticket.Id}", Navigation.Uri));
        Assert.Empty(cut.FindAll("[data-state=conflict]"));
        Assert.Equal(1, (await Listings.FindAsync(ticket.Id))!.Version);
    }

    [Fact]
    public async Task ReservedTicket_CannotBeEdited_AndSaysWhy()
    {
        var ticket = await ListTicketAsync(_seller);
        await ReserveAsync(Guid.NewGuid(), ticket.Id);
        SignIn(_seller, "seller@example.com");

        var cut = RenderEdit(ticket.Id);

        Assert.Equal("A buyer has reserved this ticket until 12:15 UTC. It can't be edited or withdrawn while they pay; if the reservation ends unpaid, editing opens again right here.",
            Text.Of(cut.Find("[data-state=edit-blocked]")));
        Assert.True(cut.Find("[data-action=save]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-action=withdraw]").HasAttribute("disabled"));
        Assert.True(cut.Find("input[data-field=title]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task SoldTicket_CannotBeEdited()
    {
        var ticket = await ListTicketAsync(_seller);
        await SellAsync(Guid.NewGuid(), ticket.Id);
        SignIn(_seller, "seller@example.com");

        var cut = RenderEdit(ticket.Id);

        Assert.Contains("This ticket is sold", cut.Find("[data-state=edit-blocked]").TextContent);
        Assert.True(cut.Find("[data-action=save]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task PushedLock_BlocksTheFormWhileEditing()
    {
        var ticket = await ListTicketAsync(_seller);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);
        Assert.Empty(cut.FindAll("[data-state=edit-blocked]"));

        var (locked, _) = await ReserveAsync(Guid.NewGuid(), ticket.Id);
        Publish(LiveMethods.TicketLocked, locked);

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=edit-blocked]")));
        Assert.True(cut.Find("[data-action=save]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task SomeoneElsesListing_IsNotEditable()
    {
        var ticket = await ListTicketAsync(_seller);
        SignInNewUser("stranger");

        var cut = RenderEdit(ticket.Id);

        Assert.Contains("Only the seller can edit this listing", cut.Find("[data-state=forbidden]").TextContent);
        Assert.Empty(cut.FindAll("[data-action=save]"));
    }

    [Fact]
    public async Task Admin_CanEditAnyListing()
    {
        var ticket = await ListTicketAsync(_seller, "Original");
        SignInNewUser("boss", admin: true);
        var cut = RenderEdit(ticket.Id);

        cut.Find("input[data-field=title]").Input("Corrected by an admin");
        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith($"/tickets/{ticket.Id}", Navigation.Uri));
        Assert.Equal("Corrected by an admin", (await Listings.FindAsync(ticket.Id))!.Title);
    }

    [Fact]
    public async Task ConcurrentEdit_ShowsWhatChanged_AndSavingAgainOverwrites()
    {
        var ticket = await ListTicketAsync(_seller, "Original", 70m);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);
        await Listings.EditAsync(new(_seller), ticket.Id, new TicketInput("Changed in another tab", 70m, Venue: "O2 Arena"));

        cut.Find("input[data-field=price]").Input("60");
        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=conflict]")));
        var row = cut.Find("[data-conflict-field=title]");
        Assert.Equal(["Title", "Original", "Changed in another tab"], row.QuerySelectorAll("td").Select(Text.Of));
        Assert.Equal("Changed in another tab", (await Listings.FindAsync(ticket.Id))!.Title);

        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith($"/tickets/{ticket.Id}", Navigation.Uri));
        var saved = await Listings.FindAsync(ticket.Id);
        Assert.Equal(("Original", 60m, 2), (saved!.Title, saved.Price, saved.Version));
    }

    [Fact]
    public async Task ConcurrentEdit_CanTakeTheSavedValues()
    {
        var ticket = await ListTicketAsync(_seller, "Original", 70m);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);
        await Listings.EditAsync(new(_seller), ticket.Id, new TicketInput("Changed in another tab", 75m, Venue: "O2 Arena"));
        cut.Find("input[data-field=price]").Input("60");
        cut.Find("[data-action=save]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-state=conflict]")));

        cut.Find("[data-action=take-saved]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Changed in another tab", cut.Find("input[data-field=title]").GetAttribute("value")));
        Assert.Equal("75", cut.Find("input[data-field=price]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-state=conflict]"));
    }

    [Fact]
    public async Task ReservationThatCameAndWent_DoesNotStopTheSave()
    {
        var ticket = await ListTicketAsync(_seller, "Original", 70m);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);
        var (_, order) = await ReserveAsync(Guid.NewGuid(), ticket.Id);
        await TicketOrders.CancelAsync(new(order.UserId), order.Id);

        cut.Find("input[data-field=price]").Input("60");
        cut.Find("[data-action=save]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith($"/tickets/{ticket.Id}", Navigation.Uri));
        Assert.Equal(60m, (await Listings.FindAsync(ticket.Id))!.Price);
    }

    [Fact]
    public async Task Withdraw_AfterConfirming_TakesTheListingOffTheMarket()
    {
        var ticket = await ListTicketAsync(_seller, "To withdraw");
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);

        cut.Find("[data-action=withdraw]").Click();
        var dialog = Providers.WaitForElement(".mud-dialog");
        Assert.Contains("“To withdraw” will be taken off the market", dialog.TextContent);
        Assert.Equal("Withdraw", Text.Of(Providers.Find("[data-action=dialog-confirm]")));
        Providers.Find("[data-action=dialog-confirm]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/my/listings", Navigation.Uri));
        Assert.Null(await Listings.FindAsync(ticket.Id));
    }

    [Fact]
    public async Task Withdraw_Cancelled_KeepsTheListing()
    {
        var ticket = await ListTicketAsync(_seller);
        SignIn(_seller, "seller@example.com");
        var cut = RenderEdit(ticket.Id);

        cut.Find("[data-action=withdraw]").Click();
        Providers.WaitForElement(".mud-dialog");
        Providers.Find("[data-action=dialog-cancel]").Click();

        Providers.WaitForAssertion(() => Assert.Empty(Providers.FindAll(".mud-dialog")));
        Assert.NotNull(await Listings.FindAsync(ticket.Id));
    }

    [Fact]
    public void UnknownTicket_ShowsNotFound()
    {
        SignIn(_seller, "seller@example.com");

        var cut = RenderEdit(Guid.NewGuid());

        Assert.NotNull(cut.Find("[data-state=not-found]"));
    }

    private IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> Providers { get; set; } = default!;

    private IRenderedComponent<EditTicket> RenderEdit(Guid id)
    {
        Providers = RenderProviders();
        var cut = Context.Render<EditTicket>(p => p.Add(e => e.Id, id));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-state=loading]")));
        return cut;
    }
}
