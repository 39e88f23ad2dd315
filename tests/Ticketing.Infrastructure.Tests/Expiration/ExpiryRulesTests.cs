using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Expiration;
using Ticketing.Infrastructure.Tests.Support;

namespace Ticketing.Infrastructure.Tests.Expiration;

/// <summary>
/// The expiry runs as set-wide SQL; these hold its predicates and the events it writes to what the
/// aggregates themselves decide and raise, in every state an order or its ticket can be in.
/// </summary>
public sealed class ExpiryRulesTests
{
    private static readonly DateTimeOffset PlacedAt = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = PlacedAt.AddMinutes(20);
    private static readonly Guid Buyer = Guid.NewGuid();

    public static TheoryData<string> OrderStates => ["created", "charging", "awaiting confirmation", "released", "complete", "cancelled by buyer", "expired"];

    [Theory]
    [MemberData(nameof(OrderStates))]
    public void LiveAndExpirable_AgreeWithTheOrder_InEveryState(string state)
    {
        var (order, _) = OrderIn(state);
        var live = ExpiryRules.Live.Compile()(order);
        var expirable = ExpiryRules.Expirable.Compile()(order);

        Assert.Equal(order.IsLive, live);
        Assert.Equal(CancelsOnExpiry(order), expirable);
    }

    [Theory]
    [MemberData(nameof(OrderStates))]
    public void TheCancellationWritten_IsTheEventTheOrderRaises(string state)
    {
        var (order, _) = OrderIn(state);
        if (!ExpiryRules.Expirable.Compile()(order))
        {
            return;
        }

        var written = ExpiryRules.Cancelled(order.Id, order.Version, order.BuyerId, order.TicketId, order.PaymentReference, Now);
        order.ClearDomainEvents();
        order.Cancel(CancellationReason.Expired, Now);

        Assert.Equal(Assert.Single(order.DomainEvents), written);
    }

    [Theory]
    [MemberData(nameof(OrderStates))]
    public void TheUnlockWritten_IsTheEventTheTicketRaises_ForEveryTicketTheRulePicks(string state)
    {
        var (order, ticket) = OrderIn(state);
        var picked = ExpiryRules.Reserved.Compile()(ticket) && ticket.OrderId == order.Id;
        var written = picked ? ExpiryRules.Unlocked(ticket, Now) : null;
        ticket.ClearDomainEvents();

        var unlocked = ticket.Unlock(order.Id, Now);

        Assert.Equal(unlocked, picked);
        Assert.Equal(unlocked ? Assert.Single(ticket.DomainEvents) : null, written);
    }

    private static bool CancelsOnExpiry(Order order)
    {
        try
        {
            return order.Cancel(CancellationReason.Expired, Now);
        }
        catch (BusinessRuleViolationException)
        {
            return false;
        }
    }

    /// <summary>An order in the named state, and its ticket as the reactions would have left it.</summary>
    private static (Order Order, Ticket Ticket) OrderIn(string state)
    {
        var (order, ticket) = OrdersInState.Reserve("Summer Festival", Buyer, PlacedAt, TimeSpan.FromMinutes(15));
        OrdersInState.Bring(order, ticket, state, PlacedAt);
        order.ClearDomainEvents();
        ticket.ClearDomainEvents();
        return (order, ticket);
    }
}
