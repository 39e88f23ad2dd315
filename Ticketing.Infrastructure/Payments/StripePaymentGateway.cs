using System.Net;
using System.Text.RegularExpressions;
using Stripe;
using ChargeOutcome = Ticketing.Domain.Payments.ChargeOutcome;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// Charges through one Stripe PaymentIntent per order: opened (never confirmed) with an idempotency
/// key derived from the order, so that every attempt, and the reconciliation of a lost one, finds
/// the same intent; then confirmed under the attempt's key with what the buyer gave: a
/// ConfirmationToken from the Payment Element on the order page (the card itself went from the
/// browser to Stripe), or a PaymentMethod or card token from an API client. Card errors and unknown
/// tokens become outcomes; a failure before the confirm could take money becomes
/// <see cref="PaymentProviderUnavailableException"/>; any other failure of the confirm propagates,
/// its outcome unknown until <see cref="FindChargeAsync"/> asks. Every request that changes
/// something carries an idempotency key derived from the order, the attempt or the charge; reads
/// carry none, since Stripe ignores keys on GET (docs/decisions/0021).
/// </summary>
public sealed partial class StripePaymentGateway(IStripeClient stripeClient, ILogger<StripePaymentGateway> logger) : IPaymentGateway
{
    private readonly PaymentIntentService _paymentIntents = new(stripeClient);
    private readonly RefundService _refunds = new(stripeClient);

    public string Name => "stripe";

    /// <summary>
    /// Stripe's ids are short and prefixed: a ConfirmationToken from Stripe.js (<c>ctoken_</c>), a
    /// card token (<c>tok_</c>), a PaymentMethod (<c>pm_</c>), or a card or source of the older APIs
    /// (<c>card_</c>, <c>src_</c>). Whether Stripe knows it is only learnt by asking.
    /// </summary>
    public bool IsPlausibleToken(string token) => TokenForm().IsMatch(token);

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.AttemptKey);

        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return InvalidToken(null);
        }

        PaymentIntent intent;
        try
        {
            intent = await OpenAsync(request.Lookup, cancellationToken);
        }
        catch (Exception ex)
        {
            // Opening an intent never moves money, whatever happened to the request.
            logger.LogWarning(ex, "Stripe could not open the PaymentIntent of order {OrderId}; nothing was charged", request.OrderId);
            throw new PaymentProviderUnavailableException();
        }

        var options = new PaymentIntentConfirmOptions { ReturnUrl = request.ReturnUrl };
        if (request.Token.StartsWith("ctoken_", StringComparison.Ordinal))
        {
            // Collected by the Payment Element: the token stands for the card Stripe.js sent to Stripe.
            options.ConfirmationToken = request.Token;
        }
        else if (request.Token.StartsWith("tok_", StringComparison.Ordinal))
        {
            // A legacy card token becomes a PaymentMethod inside the same (idempotent) request.
            // Stripe.net has no typed Card member on payment_method_data, hence the extra parameter.
            options.PaymentMethodData = new PaymentIntentPaymentMethodDataOptions { Type = "card" };
            options.AddExtraParam("payment_method_data[card][token]", request.Token);
        }
        else
        {
            options.PaymentMethod = request.Token;
        }

        try
        {
            intent = await _paymentIntents.ConfirmAsync(
                intent.Id,
                options,
                new RequestOptions { IdempotencyKey = request.AttemptKey },
                cancellationToken);
        }
        catch (StripeException ex) when (IsCardError(ex.StripeError))
        {
            logger.LogInformation(
                "Stripe declined the charge for order {OrderId}: {DeclineCode} {Message}",
                request.OrderId, ex.StripeError.DeclineCode ?? ex.StripeError.Code, ex.StripeError.Message);
            return ChargeResult.Decline(ex.StripeError.Message ?? GatewayMessages.Declined, intent.Id);
        }
        catch (StripeException ex) when (IsUnknownPaymentMethod(ex.StripeError))
        {
            logger.LogInformation(
                "Stripe does not know the payment method for order {OrderId}: {Message}", request.OrderId, ex.StripeError.Message);
            return InvalidToken(intent.Id);
        }
        catch (StripeException ex) when (ex.StripeError?.Code == "payment_intent_unexpected_state")
        {
            // The intent is past confirming (it already took the money, or was canceled): say what it is.
            intent = await _paymentIntents.GetAsync(intent.Id, cancellationToken: cancellationToken);
        }
        catch (StripeException ex) when (IsRefusedBeforeCharging(ex))
        {
            logger.LogWarning(ex, "Stripe refused to confirm the PaymentIntent {PaymentIntentId} of order {OrderId}; nothing was charged", intent.Id, request.OrderId);
            throw new PaymentProviderUnavailableException();
        }

        logger.LogInformation(
            "Stripe PaymentIntent {PaymentIntentId} for order {OrderId} is {Status}", intent.Id, request.OrderId, intent.Status);

        return intent.Status switch
        {
            "succeeded" => ChargeResult.Success(intent.Id),
            "requires_payment_method" => ChargeResult.Decline(intent.LastPaymentError?.Message ?? GatewayMessages.Declined, intent.Id),
            "canceled" => ChargeResult.Decline("The payment was canceled.", intent.Id),

            // requires_action (3-D Secure): the buyer's browser takes them through their bank's
            // step with the intent's client secret. Then, as for processing and the rest, the
            // payment_intent.succeeded or .payment_failed webhook settles the order.
            "requires_action" => new ChargeResult(ChargeOutcome.Pending, intent.Id, ActionSecret: intent.ClientSecret),
            _ => new ChargeResult(ChargeOutcome.Pending, intent.Id),
        };
    }

    public async Task<ChargeStatus> FindChargeAsync(ChargeLookup lookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookup);

        // Replaying the opening request returns the order's intent (or opens it now, which takes no
        // money); its current state then comes from a read, since a replay repeats the first answer.
        var opened = await OpenAsync(lookup, cancellationToken);
        var intent = await _paymentIntents.GetAsync(opened.Id, cancellationToken: cancellationToken);
        return intent.Status switch
        {
            "succeeded" => new ChargeStatus(ChargeState.Succeeded, intent.Id, intent.AmountReceived > 0 ? intent.AmountReceived : intent.Amount, intent.Currency),
            "requires_payment_method" or "canceled" => new ChargeStatus(ChargeState.NotCharged, intent.Id),
            "requires_action" => new ChargeStatus(ChargeState.Pending, intent.Id, ActionSecret: intent.ClientSecret),
            _ => new ChargeStatus(ChargeState.Pending, intent.Id),
        };
    }

    public async Task<bool> CancelAsync(string providerReference, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerReference);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        try
        {
            await _paymentIntents.CancelAsync(
                providerReference, new PaymentIntentCancelOptions(), new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken);
            logger.LogInformation("Stripe PaymentIntent {PaymentIntentId} canceled", providerReference);
            return true;
        }
        catch (StripeException ex) when (ex.StripeError?.Code == "payment_intent_unexpected_state")
        {
            var intent = await _paymentIntents.GetAsync(providerReference, cancellationToken: cancellationToken);
            return intent.Status != "succeeded";
        }
    }

    public async Task<string> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ProviderReference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.AmountMinor);

        var refund = await _refunds.CreateAsync(
            new RefundCreateOptions { PaymentIntent = request.ProviderReference, Amount = request.AmountMinor },
            new RequestOptions { IdempotencyKey = request.IdempotencyKey },
            cancellationToken);

        logger.LogInformation(
            "Stripe refund {RefundId} of {AmountMinor} for PaymentIntent {PaymentIntentId} is {Status}",
            refund.Id, request.AmountMinor, request.ProviderReference, refund.Status);
        return refund.Id;
    }

    /// <summary>
    /// The order's one PaymentIntent. Every parameter derives from the order, so that the same key
    /// always carries the same request (Stripe rejects a key reused with other parameters).
    /// </summary>
    private Task<PaymentIntent> OpenAsync(ChargeLookup lookup, CancellationToken cancellationToken) =>
        _paymentIntents.CreateAsync(
            new PaymentIntentCreateOptions
            {
                Amount = lookup.AmountMinor,
                Currency = lookup.Currency.ToLowerInvariant(),
                Description = lookup.Description,
                Metadata = new Dictionary<string, string> { ["order_id"] = lookup.OrderId.ToString() },

                // Cards only, as the order page's Payment Element is set up. The API version
                // Stripe.net 53 pins (endive) rejects the older payment_method_types parameter.
                AllowedPaymentMethodTypes = ["card"],
            },
            new RequestOptions { IdempotencyKey = $"order-{lookup.OrderId}-payment" },
            cancellationToken);

    [GeneratedRegex("^(ctoken|tok|pm|card|src)_[A-Za-z0-9_]{1,250}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenForm();

    private static ChargeResult InvalidToken(string? reference) => new(ChargeOutcome.InvalidToken, reference, GatewayMessages.UnknownToken);

    private static bool IsCardError(StripeError? error) =>
        error is not null && (error.Type == "card_error" || error.Code == "card_declined");

    /// <summary>
    /// A payment method or token Stripe does not know (or a token already spent). Other
    /// <c>invalid_request_error</c>s are bugs on our side.
    /// </summary>
    private static bool IsUnknownPaymentMethod(StripeError? error) =>
        error is { Type: "invalid_request_error" }
        && (error.Code is "resource_missing" or "token_already_used")
        && (error.Param is null
            || error.Param.StartsWith("payment_method", StringComparison.Ordinal)
            || error.Param.Contains("token", StringComparison.Ordinal));

    /// <summary>
    /// Stripe answered the confirm with a refusal (bad request, authentication, rate limit): the
    /// request did not run, so no money moved. A conflict (the same key in flight), a server error or
    /// no answer at all leaves the outcome unknown.
    /// </summary>
    private static bool IsRefusedBeforeCharging(StripeException ex) =>
        (int)ex.HttpStatusCode is >= 400 and < 500 && ex.HttpStatusCode != HttpStatusCode.Conflict;
}
