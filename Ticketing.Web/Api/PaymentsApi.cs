using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Web.Api;

/// <param name="Token">A Stripe token or PaymentMethod id (test gateway: tok_visa, tok_chargeDeclined, ...).</param>
public sealed record CreatePaymentRequest([property: Required] Guid? OrderId, [property: Required] string? Token);

public sealed record PaymentResponse(Guid Id);

/// <summary>A payment the provider confirms later (e.g. 3-D Secure): <c>id</c> is null until then.</summary>
public sealed record PendingPaymentResponse(Guid? Id, string Status);

public sealed record WebhookResponse(bool Received);

/// <summary>Paying an order, and Stripe's confirmations of payments.</summary>
internal static partial class PaymentsApi
{
    public static void MapPaymentsApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/payments").WithTags("Payments")
            .MapPost("", PayAsync)
            .WithOperation("CreatePayment", "Pays an order with a Stripe token or PaymentMethod id",
                "201: the order is complete and the ticket sold. 202: the provider confirms later (a webhook, or reconciliation, settles the order). "
                + "402: card declined, the order stays payable. 400: missing fields, unknown token, order cancelled, expired or already paid, "
                + "or another payment for the order in progress. 503: the provider could not be reached and nothing was charged.")
            .RequireAuthorization()
            .AcceptsJson<CreatePaymentRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Stripe posts here; it is anonymous, signed, and takes the raw body whatever its content type.</summary>
    public static void MapPaymentWebhook(this IEndpointRouteBuilder api)
    {
        api.MapPost("/payments/webhook", ReceiveWebhookAsync)
            .WithTags("Payments")
            .WithOperation("StripeWebhook", "Stripe webhook endpoint",
                "Verifies the `Stripe-Signature` header and applies `payment_intent.succeeded` (amount and currency checked against the order), "
                + "`payment_intent.payment_failed` (a 3-D Secure payment the bank declined: the order is payable again, as the PaymentIntent's current state says), "
                + "`charge.refunded` and `charge.dispute.created` once however often, and in whatever order, they are delivered. Other events are acknowledged and ignored.")
            .DescribesBody<JsonElement>()
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<Results<Created<PaymentResponse>, Accepted<PendingPaymentResponse>>> PayAsync(
        CreatePaymentRequest input,
        ClaimsPrincipal user,
        OrderPayments payments,
        CancellationToken cancellationToken)
    {
        var orderId = input.OrderId ?? throw ApiRequestException.BadRequest("Order id is required", "orderId");
        var result = await payments.PayAsync(user.RequireActor(), orderId, input.Token, cancellationToken: cancellationToken);
        return result switch
        {
            // The provider confirms later, or its answer was lost and reconciliation settles the order.
            { Outcome: PaymentOutcome.Pending or PaymentOutcome.Unconfirmed } =>
                TypedResults.Accepted((string?)null, new PendingPaymentResponse(null, OrderStatus.AwaitingPayment.ToWire())),

            // The money arrived but the order could not take it; it goes back to the card.
            { RefundReason: { } reason } => throw ApiRequestException.BadRequest(RefundedMessage(reason)),

            { PaymentId: { } paymentId } => TypedResults.Created((string?)null, new PaymentResponse(paymentId)),
            _ => throw new InvalidOperationException($"A {result.Outcome} payment without a payment id."),
        };
    }

    private static string RefundedMessage(RefundReason reason) => reason switch
    {
        RefundReason.AlreadyPaid => "Order has already been paid; this payment was refunded",
        RefundReason.TicketGone => "Order has expired; the payment was refunded",
        RefundReason.OrderCancelled => "Order has been cancelled; the payment was refunded",
        _ => "The payment could not be applied to the order; it was refunded",
    };

    private static async Task<Ok<WebhookResponse>> ReceiveWebhookAsync(
        HttpRequest request,
        StripeWebhookReader reader,
        OrderPayments payments,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var payload = await RawBody.ReadJsonTextAsync(request, cancellationToken);
        switch (reader.Read(payload, request.Headers[StripeWebhookReader.SignatureHeaderName]))
        {
            case StripeWebhookEvent.Invalid invalid:
                throw ApiRequestException.BadRequest(invalid.Reason);

            case StripeWebhookEvent.PaymentSucceeded succeeded:
                try
                {
                    await payments.ApplyAsync(succeeded.OrderId, succeeded.PaymentIntentId, succeeded.AmountMinor, succeeded.Currency, cancellationToken);
                }
                catch (NotFoundException)
                {
                    // Another deployment's order on the same Stripe account: answering an error would
                    // only make Stripe retry for days.
                    LogUnknownOrder(loggers.CreateLogger(typeof(PaymentsApi)), succeeded.EventId, succeeded.OrderId);
                }

                break;

            case StripeWebhookEvent.PaymentFailed failed:
                // Replayed, late or out of order, it changes nothing the intent's current state does not say.
                await payments.SettleConfirmationAsync(failed.OrderId, cancellationToken);
                break;

            case StripeWebhookEvent.ChargeRefunded refunded:
                await payments.RecordProviderRefundAsync(refunded.PaymentIntentId, refunded.RefundId, refunded.AmountRefundedMinor, cancellationToken);
                break;

            case StripeWebhookEvent.DisputeCreated dispute:
                await payments.RecordDisputeAsync(dispute.PaymentIntentId, dispute.DisputeId, dispute.Reason, cancellationToken);
                break;
        }

        return TypedResults.Ok(new WebhookResponse(true));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} paid order {OrderId}, which does not exist here; acknowledged and ignored")]
    private static partial void LogUnknownOrder(ILogger logger, string eventId, Guid orderId);
}
