using Ticketing.Domain.Common;

namespace Ticketing.Domain.Tickets.Rules;

public sealed class TicketTitleMustBeValidRule(string title) : IBusinessRule
{
    public bool IsBroken() => title.Length == 0 || title.Length > TicketDetails.MaxTitleLength;

    public string Message => title.Length == 0
        ? "Title is required"
        : $"Title must be at most {TicketDetails.MaxTitleLength} characters";

    public string Field => "title";
}

public sealed class TicketPriceMustBeValidRule(decimal price) : IBusinessRule
{
    public bool IsBroken() => price <= 0 || price > Money.MaxPrice || !Money.HasAtMostTwoDecimals(price);

    public string Message => "Price must be greater than 0, at most 1,000,000, with at most 2 decimals";

    public string Field => "price";
}

public sealed class TextMustFitRule(string? text, int maxLength, string fieldName, string label) : IBusinessRule
{
    public bool IsBroken() => text is not null && text.Length > maxLength;

    public string Message => $"{label} must be at most {maxLength} characters";

    public string Field => fieldName;
}

public sealed class TicketMustNotBeLockedRule(TicketStatus status) : IBusinessRule
{
    public bool IsBroken() => status != TicketStatus.Available;

    public string Message => "Cannot edit a reserved ticket";
}

public sealed class TicketMustBeAvailableRule(TicketStatus status) : IBusinessRule
{
    public bool IsBroken() => status != TicketStatus.Available;

    public string Message => "Ticket is already reserved";
}

public sealed class BuyerMustNotBeSellerRule(Guid sellerId, Guid buyerId) : IBusinessRule
{
    public bool IsBroken() => sellerId == buyerId;

    public string Message => "You cannot buy your own ticket";
}

public sealed class TicketMustBeHeldByOrderRule(TicketStatus status, Guid? holdingOrderId, Guid orderId) : IBusinessRule
{
    // A late payment may claim a ticket that nobody holds any more; one held by another order is gone.
    public bool IsBroken() => status == TicketStatus.Sold
        ? holdingOrderId != orderId
        : status == TicketStatus.Reserved && holdingOrderId != orderId;

    public string Message => "Ticket is no longer available";
}

public sealed class TicketMustBeListedRule(bool isWithdrawn) : IBusinessRule
{
    public bool IsBroken() => isWithdrawn;

    public string Message => "Ticket is no longer available";
}

/// <summary>A reservation lost its race to the seller's edit: the buyer should see the new terms first.</summary>
public sealed class TicketMustNotChangeWhileReservingRule(bool changedBySeller) : IBusinessRule
{
    public bool IsBroken() => changedBySeller;

    public string Message => "The ticket was changed by its seller just now; review it and try again";
}
