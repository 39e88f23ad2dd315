using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>
/// An e-mail can be queued in the moment its account is deleted (its handler read the address just
/// before). Delivery sends nothing to an address no account holds and deletes that e-mail, so the
/// address does not outlive the account; e-mails to accounts in the same batch go out as usual.
/// </summary>
public sealed class OrphanEmailTests : MailboxTests
{
    [Fact]
    public async Task AnEmailToAnAddressNoAccountHolds_IsDeletedUnsent_WhileTheRestOfItsBatchIsSent()
    {
        var (_, holder) = await App.NewUserAsync("holder");
        var gone = $"Gone-{Guid.NewGuid():N}@example.com";
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<EmailQueue>();
            await queue.EnqueueAsync($"Orphan:{gone}", EmailTemplates.TicketFileRetired(gone, "Late e-mail", Guid.NewGuid()), CancellationToken.None);
            await queue.EnqueueAsync($"Kept:{holder}", EmailTemplates.TicketFileRetired(holder.ToUpperInvariant(), "Kept e-mail", Guid.NewGuid()), CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<TicketingDbContext>().SaveChangesAsync();
        }

        // An address differing only in case is still the account's.
        await Sink.WaitForAsync(m => m.Subject == "Back on sale: Kept e-mail");
        await TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = App.Services.OpenDb();
                return !await db.Set<EmailMessage>().AnyAsync(m => m.Key == $"Orphan:{gone}");
            },
            TimeSpan.FromSeconds(30),
            "the orphan e-mail is deleted");
        Assert.Empty(Sink.To(gone));
    }
}
