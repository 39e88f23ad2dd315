using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders.Rules;

/// <summary>A buyer holds at most so many live reservations at once, so that no one script can hold the market.</summary>
public sealed class BuyerMustStayWithinLiveOrderLimitRule(int liveOrders, int maxLiveOrders) : BusinessRule(
    liveOrders >= maxLiveOrders,
    $"You already hold {maxLiveOrders} live reservations, the most one buyer may hold at once; pay for or cancel one before reserving another");
