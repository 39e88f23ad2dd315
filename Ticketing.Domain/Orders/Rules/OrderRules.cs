using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders.Rules;

public sealed class OrderMustNotBeCompleteRule(OrderStatus status) : IBusinessRule
{
    public bool IsBroken() => status == OrderStatus.Complete;

    public string Message => "Order has already been paid";
}

public sealed class OrderMustNotBeCancelledRule(OrderStatus status) : IBusinessRule
{
    public bool IsBroken() => status == OrderStatus.Cancelled;

    public string Message => "Order has been cancelled";
}

public sealed class OrderMustNotBeExpiredRule(DateTimeOffset expiresAt, DateTimeOffset now) : IBusinessRule
{
    // Checked at payment time so that a payment is refused the moment the window closes,
    // even if the expiry job has not run yet.
    public bool IsBroken() => now >= expiresAt;

    public string Message => "Order has expired";
}

public sealed class LatePaymentNeedsCancelledOrderRule(OrderStatus status) : IBusinessRule
{
    public bool IsBroken() => status != OrderStatus.Cancelled;

    public string Message => "Only a cancelled order can be completed by a late payment";
}
