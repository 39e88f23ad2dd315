using Ticketing.Domain.Common;

namespace Ticketing.Domain.Identity;

/// <summary>The site must keep an administrator: the role is given by configuration, not taken by a button.</summary>
public sealed class AdministratorMustNotDeleteOwnAccountRule(bool isAdministrator)
    : BusinessRule(isAdministrator, "An administrator's account cannot be deleted");

/// <summary>A charge in flight decides its order; deleting the account meanwhile could leave money without an order.</summary>
public sealed class AccountMustHaveNoPaymentInProgressRule(bool paymentInProgress)
    : BusinessRule(paymentInProgress, "A payment for one of your orders is in progress; try again in a minute");

/// <summary>A buyer holding one of the account's tickets is paying for it: the sale goes ahead or ends first.</summary>
public sealed class AccountMustHaveNoReservedListingRule(bool listingReserved)
    : BusinessRule(listingReserved, "A buyer has reserved one of your tickets; delete your account once that reservation is paid or has ended");
