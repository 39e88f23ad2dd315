using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Events;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The dashboard's list of dead-lettered events and its retry button.</summary>
public sealed class DeadLetterPanelTests : UiTestContext
{
    [Fact]
    public async Task Dashboard_ForAnAdmin_ShowsEachDeadLetterWithItsLastError()
    {
        await SignInAdminAsync();
        await DeadLetterAsync("TicketCreated", "The backplane is unreachable");
        await DeadLetterAsync("OrderCreated", "The mail server said no");
        await using (var db = Service<IDbContextFactory<TicketingDbContext>>().CreateDbContext())
        {
            // Failing but not dead yet: not listed.
            db.OutboxMessages.Add(new OutboxMessage { EventId = Guid.NewGuid(), Type = "TicketLocked", Payload = "{}", OccurredAt = Start, Attempts = 2 });
            await db.SaveChangesAsync();
        }

        RenderProviders();
        var page = Context.Render<Dashboard>();

        var panel = page.WaitForElement("[data-dead-letters]");
        Assert.Contains("Undelivered events (2)", panel.TextContent);
        var errors = page.FindAll("[data-dead-letter-error]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(["The mail server said no", "The backplane is unreachable"], errors);
        Assert.Equal(2, page.FindAll("[data-action=retry-dead-letter]").Count);
    }

    [Fact]
    public async Task Retry_SendsTheMessageBackToTheDispatcher_AndTheRowLeavesTheList()
    {
        await SignInAdminAsync();
        var stuck = await DeadLetterAsync("TicketCreated", "The backplane is unreachable");
        var other = await DeadLetterAsync("OrderCreated", "The mail server said no");
        RenderProviders();
        var panel = Context.Render<DeadLetterPanel>();

        panel.Find($"[data-dead-letter='{stuck}'] [data-action=retry-dead-letter]").Click();

        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll($"[data-dead-letter='{stuck}']")));
        Assert.Single(panel.FindAll($"[data-dead-letter='{other}']"));
        await using var db = Service<IDbContextFactory<TicketingDbContext>>().CreateDbContext();
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == stuck);
        Assert.Null(message.DeadLetteredAt);
        Assert.Equal(0, message.Attempts);
        Assert.Null(message.ProcessedAt);
    }

    [Fact]
    public async Task WithNoDeadLetters_ThePanelShowsNothing()
    {
        await SignInAdminAsync();

        var panel = Context.Render<DeadLetterPanel>();

        Assert.Empty(panel.FindAll("[data-dead-letters]"));
    }

    private async Task SignInAdminAsync()
    {
        await using var scope = Context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = (await users.FindByEmailAsync(DatabaseInitializer.DefaultAdminEmail))!;
        SignIn(admin.Id, DatabaseInitializer.DefaultAdminEmail, admin: true);
    }

    private async Task<long> DeadLetterAsync(string type, string error)
    {
        await using var db = Service<IDbContextFactory<TicketingDbContext>>().CreateDbContext();
        var message = new OutboxMessage
        {
            EventId = Guid.NewGuid(),
            Type = type,
            Payload = "{}",
            AggregateId = Guid.NewGuid(),
            OccurredAt = Start,
            Attempts = 15,
            LastError = error,
            DeadLetteredAt = Start.AddMinutes(10),
        };
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }
}
