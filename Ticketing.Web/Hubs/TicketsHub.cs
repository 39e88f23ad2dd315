using Microsoft.AspNetCore.SignalR;

namespace Ticketing.Web.Hubs;

/// <summary>
/// The live channel at <c>/hubs/tickets</c>, open to anonymous clients. The server only pushes:
/// ticket changes to everyone, and <see cref="LiveMethods.OrderUpdated"/> to the buyer's own
/// connections (SignalR's user id is the Identity user id). A signed-in connection is known to
/// <see cref="SignedInConnections"/>, which ends it when its sign-in signs out or the account signs
/// out everywhere.
/// </summary>
public sealed class TicketsHub(SignedInConnections signedIn) : Hub
{
    public override Task OnConnectedAsync()
    {
        signedIn.Add(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        signedIn.Remove(Context);
        return Task.CompletedTask;
    }
}

public static class LiveMethods
{
    public const string TicketCreated = nameof(TicketCreated);
    public const string TicketUpdated = nameof(TicketUpdated);
    public const string TicketLocked = nameof(TicketLocked);
    public const string TicketUnlocked = nameof(TicketUnlocked);
    public const string TicketSold = nameof(TicketSold);
    public const string TicketWithdrawn = nameof(TicketWithdrawn);
    public const string OrderUpdated = nameof(OrderUpdated);

    /// <summary>
    /// The method a ticket event is pushed as: its own name, except that a listing handed to the
    /// deleted account (its seller's id and description gone) is an update of the listing, so that
    /// a client counting versions misses none.
    /// </summary>
    public static string ForTicketEvent(Type ticketEvent) =>
        ticketEvent == typeof(Ticketing.Domain.Tickets.TicketSellerAnonymised) ? TicketUpdated : ticketEvent.Name;
}
