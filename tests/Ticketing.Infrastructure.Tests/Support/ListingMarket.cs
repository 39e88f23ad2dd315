using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>
/// A market of the size users reach, shared by the read-only tests of one class: one seller with
/// 2,500 listings a second apart, another with 600 listed at the same instant (so that pages must
/// break ties), listings whose titles hold LIKE's special characters, and some reserved and sold
/// through the real use cases.
/// </summary>
public sealed class ListingMarket : IAsyncLifetime
{
    public static readonly DateTimeOffset Newest = DateTimeOffset.UtcNow.AddHours(-1);

    private readonly TicketingApp _app = new();

    public CommandRecorder Commands { get; } = new();

    public WebApplicationFactory<Program> Host { get; private set; } = default!;

    public string DatabasePath => _app.DatabasePath;

    public Guid Seller { get; } = Guid.NewGuid();

    public Guid TiedSeller { get; } = Guid.NewGuid();

    public Guid OddSeller { get; } = Guid.NewGuid();

    /// <summary>Every listing on the market, by id.</summary>
    public Dictionary<Guid, TicketView> All { get; } = [];

    /// <summary>When each listing was listed: the lists' order.</summary>
    public Dictionary<Guid, DateTimeOffset> ListedAt { get; } = [];

    public async Task InitializeAsync()
    {
        Host = Commands.Attach(_app);
        _ = Host.Services;
        foreach (var ticket in await Catalogue.ListTicketsAsync(DatabasePath, Seller, 2_500, Newest))
        {
            All[ticket.Id] = TicketView.From(ticket);
        }

        var tied = await Catalogue.ListTicketsAsync(
            DatabasePath, TiedSeller, 600, Newest.AddHours(-2), i => TicketDetails.Create($"Tied listing {i}", 10m + (i % 7), venue: i % 2 == 0 ? "Tied Hall" : null), TimeSpan.Zero);
        foreach (var ticket in tied)
        {
            All[ticket.Id] = TicketView.From(ticket);
        }

        string[] odd = ["100% Cotton Club", "Under_score night", "[Bracket] gig", "Back\\slash show", "Ünïcode Hall party", "Percent-free night"];
        for (var i = 0; i < odd.Length; i++)
        {
            var ticket = await UseAsync<TicketListings, TicketView>(l => l.CreateAsync(new Actor(OddSeller), new TicketInput(odd[i], 30m + i, Venue: i == 0 ? "Cotton Club" : null)));
            All[ticket.Id] = ticket;
        }

        // Some of the seller's listings are reserved and some sold, by buyers holding at most five each.
        var sellersListings = All.Values.Where(t => t.UserId == Seller).OrderBy(t => t.Title, StringComparer.Ordinal).ToList();
        for (var i = 0; i < 30; i++)
        {
            var buyer = new Actor(Guid.NewGuid());
            var order = await UseAsync<TicketOrders, OrderView>(r => r.ReserveAsync(buyer, sellersListings[i].Id));
            if (i % 3 == 0)
            {
                await UseAsync<OrderPayments, PaymentResult>(p => p.PayAsync(buyer, order.Id, "tok_visa"));
            }

            All[order.Ticket.Id] = (await UseAsync<TicketListings, TicketView?>(l => l.FindAsync(order.Ticket.Id)))!;
        }

        await using var db = Host.Services.OpenDb();
        foreach (var row in await db.Tickets.AsNoTracking().Select(t => new { t.Id, t.CreatedAt }).ToListAsync())
        {
            ListedAt[row.Id] = row.CreatedAt;
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _app.DisposeAsync();
    }

    public async Task<TResult> UseAsync<TService, TResult>(Func<TService, Task<TResult>> use)
        where TService : notnull
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
