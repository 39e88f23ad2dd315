using Ticketing.Domain.Common;

namespace Ticketing.Domain.Tickets.Rules;

public sealed class TicketTitleMustBeValidRule(string title) : BusinessRule(
    title.Length == 0 || title.Length > TicketDetails.MaxTitleLength,
    title.Length == 0 ? "Title is required" : $"Title must be at most {TicketDetails.MaxTitleLength} characters",
    "title");

public sealed class TicketPriceMustBeValidRule(decimal price) : BusinessRule(
    price <= 0 || price > Money.MaxPrice || !Money.HasAtMostTwoDecimals(price),
    "Price must be greater than 0, at most 1,000,000, with at most 2 decimals",
    "price");

public sealed class TextMustFitRule(string? text, int maxLength, string fieldName, string label)
    : BusinessRule(text is not null && text.Length > maxLength, $"{label} must be at most {maxLength} characters", fieldName);

public sealed class TicketMustNotBeLockedRule(TicketStatus status)
    : BusinessRule(status != TicketStatus.Available, "Cannot edit a reserved ticket");

public sealed class TicketMustBeAvailableRule(TicketStatus status)
    : BusinessRule(status != TicketStatus.Available, "Ticket is already reserved");

public sealed class BuyerMustNotBeSellerRule(Guid sellerId, Guid buyerId)
    : BusinessRule(sellerId == buyerId, "You cannot buy your own ticket");

/// <summary>A late payment may claim a ticket that nobody holds any more; one held by another order is gone.</summary>
public sealed class TicketMustBeHeldByOrderRule(TicketStatus status, Guid? holdingOrderId, Guid orderId)
    : BusinessRule(status is TicketStatus.Sold or TicketStatus.Reserved && holdingOrderId != orderId, "Ticket is no longer available");

public sealed class TicketMustBeListedRule(bool isWithdrawn)
    : BusinessRule(isWithdrawn, "Ticket is no longer available");

/// <summary>A reservation lost its race to the seller's edit: the buyer should see the new terms first.</summary>
public sealed class TicketMustNotChangeWhileReservingRule(bool changedBySeller)
    : BusinessRule(changedBySeller, "The ticket was changed by its seller just now; review it and try again");
