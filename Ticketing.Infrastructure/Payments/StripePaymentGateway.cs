using Microsoft.Extensions.Logging;
using Stripe;
using Ticketing.Domain.Payments;
using ChargeOutcome = Ticketing.Domain.Payments.ChargeOutcome;

namespace Ticketing.Infrastructure.Payments;

/// <summary>
/// Charges with a confirmed PaymentIntent and refunds through Stripe. Card errors and unknown tokens
/// become outcomes; every other <see cref="StripeException"/> (auth, rate limit, network, API errors)
/// propagates for the caller to log and answer with a generic error.
/// </summary>
public sealed class StripePaymentGateway(IStripeClient stripeClient, ILogger<StripePaymentGateway> logger) : IPaymentGateway
{
    private readonly PaymentIntentService _paymentIntents = new(stripeClient);
    private readonly RefundService _refunds = new(stripeClient);

    public string Name => "stripe";

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);

        if (string.IsNullOrWhiteSpace(request.Token))
        {
            return InvalidToken();
        }

        var options = new PaymentIntentCreateOptions
        {
            Amount = request.AmountMinor,
            Currency = request.Currency.ToLowerInvariant(),
            Confirm = true,
            Description = request.Description,
            Metadata = new Dictionary<string, string> { ["order_id"] = request.OrderId.ToString() },

            // Cards only, so that confirming needs no return_url. The API version Stripe.net 53 pins
            // (endive) rejects the older payment_method_types parameter; this is its replacement.
            AllowedPaymentMethodTypes = ["card"],
        };

        if (request.Token.StartsWith("tok_", StringComparison.Ordinal))
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

        PaymentIntent intent;
        try
        {
            intent = await _paymentIntents.CreateAsync(
                options,
                new RequestOptions { IdempotencyKey = request.IdempotencyKey },
                cancellationToken);
        }
        catch (StripeException ex) when (IsCardError(ex.StripeError))
        {
            logger.LogInformation(
                "Stripe declined the charge for order {OrderId}: {DeclineCode} {Message}",
                request.OrderId, ex.StripeError.DeclineCode ?? ex.StripeError.Code, ex.StripeError.Message);
            return ChargeResult.Decline(ex.StripeError.Message ?? GatewayMessages.Declined);
        }
        catch (StripeException ex) when (IsUnknownPaymentMethod(ex.StripeError))
        {
            logger.LogInformation(
                "Stripe does not know the payment method for order {OrderId}: {Message}", request.OrderId, ex.StripeError.Message);
            return InvalidToken();
        }

        logger.LogInformation(
            "Stripe PaymentIntent {PaymentIntentId} for order {OrderId} is {Status}", intent.Id, request.OrderId, intent.Status);

        return intent.Status switch
        {
            "succeeded" => ChargeResult.Success(intent.Id),
            "requires_payment_method" => ChargeResult.Decline(intent.LastPaymentError?.Message ?? GatewayMessages.Declined),
            "canceled" => ChargeResult.Decline("The payment was canceled."),

            // requires_action (3-D Secure), processing, requires_confirmation, requires_capture:
            // the payment_intent.succeeded webhook completes the order if it ever succeeds.
            _ => new ChargeResult(ChargeOutcome.Pending, intent.Id),
        };
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

    private static ChargeResult InvalidToken() => new(ChargeOutcome.InvalidToken, null, GatewayMessages.UnknownToken);

    private static bool IsCardError(StripeError? error) =>
        error is not null && (error.Type == "card_error" || error.Code == "card_declined");

    /// <summary>
    /// A payment method or token Stripe does not know (or a token already spent). Other
    /// <c>invalid_request_error</c>s are bugs on our side and propagate.
    /// </summary>
    private static bool IsUnknownPaymentMethod(StripeError? error) =>
        error is { Type: "invalid_request_error" }
        && (error.Code is "resource_missing" or "token_already_used")
        && (error.Param is null
            || error.Param.StartsWith("payment_method", StringComparison.Ordinal)
            || error.Param.Contains("token", StringComparison.Ordinal));
}
