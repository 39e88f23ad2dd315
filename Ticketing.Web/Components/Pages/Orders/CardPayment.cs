namespace Ticketing.Web.Components.Pages.Orders;

/// <summary>What mounting Stripe's card form in the browser came to.</summary>
public sealed record CardFormMount(bool Ok, string? Error);

/// <summary>The ConfirmationToken Stripe made for the card typed into its form, or why it made none.</summary>
public sealed record CardToken(string? Token, string? Error);

/// <summary>How the bank's step (3-D Secure) ended in the browser: the PaymentIntent's status as Stripe.js saw it, or its error.</summary>
public sealed record BankStepResult(string? Status, string? Error);

/// <summary>What the order page says of a payment under way.</summary>
public enum PaymentStep
{
    None,

    /// <summary>A request is at Stripe, charging the card: seconds.</summary>
    Charging,

    /// <summary>The buyer's bank has to confirm (3-D Secure): as long as the buyer takes, or until the order expires.</summary>
    WaitingForBank,
}
