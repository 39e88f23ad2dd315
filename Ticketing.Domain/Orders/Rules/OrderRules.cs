using Ticketing.Domain.Common;

namespace Ticketing.Domain.Orders.Rules;

public sealed class OrderMustNotBeCompleteRule(OrderStatus status)
    : BusinessRule(status == OrderStatus.Complete, "Order has already been paid");

public sealed class OrderMustNotBeCancelledRule(OrderStatus status)
    : BusinessRule(status == OrderStatus.Cancelled, "Order has been cancelled");

/// <summary>
/// Checked at payment time so that a payment is refused the moment the window closes, even if the
/// expiry job has not run yet.
/// </summary>
public sealed class OrderMustNotBeExpiredRule(DateTimeOffset expiresAt, DateTimeOffset now)
    : BusinessRule(now >= expiresAt, "Order has expired");

/// <summary>Another request holds the order for its payment: it alone may reach the provider or end the attempt.</summary>
public sealed class PaymentMustNotBeInProgressRule(bool inProgress)
    : BusinessRule(inProgress, "A payment for this order is in progress");

/// <summary>
/// Money that arrives after the window closed may still buy a ticket nobody took; a cancel the buyer
/// or an admin was answered stays cancelled, and its money goes back.
/// </summary>
public sealed class LatePaymentNeedsExpiredOrderRule(OrderStatus status, CancellationReason? reason)
    : BusinessRule(status != OrderStatus.Cancelled || reason != CancellationReason.Expired, "Only an expired order can be completed by a late payment");

public sealed class OrderMustNotBeRefundedRule(OrderStatus status)
    : BusinessRule(status == OrderStatus.Refunded, "Order has already been refunded");

/// <summary>Only money that bought a ticket can be refunded; a live order is cancelled instead.</summary>
public sealed class OrderMustBeCompleteToRefundRule(OrderStatus status)
    : BusinessRule(status != OrderStatus.Complete, "Only a paid order can be refunded");

/// <summary>A live order still holds a ticket and may still take money: it is cancelled or paid before it is anonymised.</summary>
public sealed class OrderMustHaveEndedRule(bool isLive)
    : BusinessRule(isLive, "The order is still live");
