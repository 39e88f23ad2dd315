using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Tickets;

/// <summary>A client walking the list while sellers keep listing neither repeats nor skips a listing.</summary>
public sealed class TicketListWhileListingTests
{
    [Fact]
    public async Task Walk_WhileNewListingsArrive_VisitsEachEarlierListingOnce()
    {
        await using var app = new TicketingApp();
        _ = app.Services;
        var seller = Guid.NewGuid();
        var earlier = await Catalogue.ListTicketsAsync(app.DatabasePath, seller, 1_000, DateTimeOffset.UtcNow.AddMinutes(-5));
        var listedDuringTheWalk = new List<Guid>();

        var walked = new List<Guid>();
        ListCursor? after = null;
        do
        {
            await using var scope = app.Services.CreateAsyncScope();
            var listings = scope.ServiceProvider.GetRequiredService<TicketListings>();
            var page = await listings.ListAsync(new TicketFilter(), after, 90);
            walked.AddRange(page.Items.Select(t => t.Id));
            after = page.Next;
            listedDuringTheWalk.Add((await app.Services.ListTicketAsync(seller, title: $"Listed mid-walk {walked.Count}")).Id);
        }
        while (after is not null);

        Assert.Equal(earlier.Count, walked.Count);
        Assert.True(earlier.Select(t => t.Id).ToHashSet().SetEquals(walked));
        Assert.Empty(walked.Intersect(listedDuringTheWalk));
    }
}
