using Ticketing.Domain.Identity;
using Ticketing.Domain.Orders.Rules;
using Ticketing.Domain.Tickets.Rules;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Payments;

public enum PaymentOutcome
{
    /// <summary>Money recorded; the order is complete and the ticket sold.</summary>
    Completed,

    /// <summary>The provider confirms later (e.g. 3-D Secure); the order awaits payment.</summary>
    Pending,

    /// <summary>
    /// The provider's answer was lost (timeout, database down while saving): the order awaits payment
    /// and the reconciliation job settles it, completed or refunded.
    /// </summary>
    Unconfirmed,

    /// <summary>The order could not take the money (see <see cref="PaymentResult.RefundReason"/>): it goes back.</summary>
    Refunded,

    /// <summary>The same provider payment was already recorded; nothing changed.</summary>
    AlreadyApplied,
}

/// <param name="RefundReason">Why the money goes back, when it does.</param>
/// <param name="ActionSecret">
/// For a <see cref="PaymentOutcome.Pending"/> payment that waits for the buyer's bank (3-D Secure):
/// what the buyer's browser needs to take them through it (Stripe's client secret).
/// </param>
public sealed record PaymentResult(PaymentOutcome Outcome, Guid? PaymentId, string? ProviderReference, RefundReason? RefundReason = null, string? ActionSecret = null);

/// <summary>Where an order's payment attempt stands, as the buyer's order page shows it.</summary>
/// <param name="OrderVersion">The order's version this was read at.</param>
public sealed record PaymentProgress(int OrderVersion, OrderStatus Status, PaymentAttemptState Attempt);

/// <summary>
/// The Payments context's use cases. A payment first claims its order (one conditional write on the
/// order row), so that of any number of concurrent requests, and of a payment and a cancel, one wins
/// before any money moves; only the claimant reaches the gateway (docs/decisions/0013). Money the
/// provider took is recorded whatever becomes of it: applied to its order, or recorded as owed back
/// before it is refunded.
/// </summary>
[Scoped]
public sealed partial class OrderPayments(
    IDbContextFactory<TicketingDbContext> contexts,
    IPaymentGateway gateway,
    IOptions<PaymentsOptions> options,
    TimeProvider clock,
    ILogger<OrderPayments> logger)
{
    private string Currency => options.Value.Currency.ToLowerInvariant();

    /// <param name="returnUrl">Where the provider sends the buyer back after a bank step that leaves the order page; null from the API.</param>
    public async Task<PaymentResult> PayAsync(Actor buyer, Guid orderId, string? token, string? returnUrl = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidInputException("A payment token is required", "token");
        }

        token = token.Trim();
        if (!gateway.IsPlausibleToken(token))
        {
            // Refused before the claim: garbage changes nothing, not even the order's version.
            throw new InvalidInputException(GatewayMessages.UnknownToken, "token");
        }

        var claim = await ClaimAsync(buyer, orderId, cancellationToken);

        // From here on the request's cancellation no longer applies: a claimed order is seen through
        // to an outcome (or left to reconciliation) whether or not the client still waits.
        return await ChargeAsync(claim, token, returnUrl);
    }

    /// <summary>The order's payment attempt as its buyer's page shows it: a charge in flight, or waiting for the bank.</summary>
    public async Task<PaymentProgress> ProgressAsync(Actor buyer, Guid orderId, CancellationToken cancellationToken = default)
    {
        var order = await ReadBuyersOrderAsync(buyer, orderId, cancellationToken);
        return new PaymentProgress(order.Version, order.Status, order.PaymentAttempt);
    }

    /// <summary>
    /// The buyer is back at an order whose payment waits for their bank (they closed the tab, or the
    /// bank's window), or their page heard nothing for a while after the bank answered: the
    /// provider's record decides. Returns what the browser needs to continue the bank's step when
    /// the bank still waits for the buyer; otherwise the order is settled (paid, or payable again)
    /// and null is returned, the order's new state reaching the page like any other change.
    /// </summary>
    public async Task<string?> ContinueConfirmationAsync(Actor buyer, Guid orderId, CancellationToken cancellationToken = default)
    {
        await ReadBuyersOrderAsync(buyer, orderId, cancellationToken);
        var status = await SettleConfirmationAsync(orderId, cancellationToken);
        return status is { State: ChargeState.Pending, ActionSecret: { } secret } ? secret : null;
    }

    /// <summary>
    /// Settles an order whose payment the provider was confirming later (3-D Secure), from the
    /// provider's current record rather than from any one event: money taken is applied, a
    /// confirmation that ended without money (bank declined, challenge failed) makes the order
    /// payable again, and a payment still waiting changes nothing. A replayed, late or reordered
    /// provider event therefore changes nothing the provider's record does not say. Returns what
    /// the provider said, or null when the order awaits no confirmation.
    /// </summary>
    public async Task<ChargeStatus?> SettleConfirmationAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        Order? order;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        }

        if (order is not { PaymentAttemptId: { } attemptId } || !order.IsAwaitingConfirmationOf(attemptId))
        {
            return null;
        }

        ChargeStatus status;
        try
        {
            status = await gateway.FindChargeAsync(Lookup(order), cancellationToken);
        }
        catch (Exception ex) when (ex is not PaymentProviderUnavailableException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            // Nothing changed here; the caller (the provider's retried event, the buyer) asks again.
            LogConfirmationUnknown(ex, orderId, attemptId);
            throw new PaymentProviderUnavailableException("The payment provider could not be reached to confirm the payment; please try again.");
        }

        LogConfirmationSettling(orderId, attemptId, status.State, status.Reference);
        switch (status.State)
        {
            case ChargeState.Succeeded:
                var applied = await ApplyAsync(orderId, status.Reference!, status.AmountMinor, status.Currency ?? Currency, cancellationToken);
                if (applied.RefundReason is not null)
                {
                    await DeclineConfirmationAsync(orderId, attemptId, cancellationToken);
                }

                break;
            case ChargeState.NotCharged:
                await DeclineConfirmationAsync(orderId, attemptId, cancellationToken);
                break;
        }

        return status;
    }

    /// <summary>
    /// Records money the provider has taken for an order, exactly once per provider reference. A live
    /// order completes; money the order cannot take (amount or currency not the order's, an order
    /// already paid, cancelled by its buyer or an admin, or expired with its ticket gone) is recorded
    /// as owed back, then refunded.
    /// </summary>
    public async Task<PaymentResult> ApplyAsync(Guid orderId, string providerReference, long amountMinor, string currency, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var existing = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.ProviderReference == providerReference, cancellationToken);
            if (existing is not null)
            {
                return new PaymentResult(PaymentOutcome.AlreadyApplied, existing.Id, providerReference, existing.RefundReason);
            }

            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
                ?? throw new NotFoundException("Order not found");
            if (RejectionOf(order, amountMinor, currency) is { } reason)
            {
                return await RejectAsync(orderId, providerReference, amountMinor, currency, reason, cancellationToken);
            }

            var payment = Payment.Record(Guid.NewGuid(), orderId, amountMinor, currency, providerReference, clock.GetUtcNow());
            db.Payments.Add(payment);
            try
            {
                // The order completes and the ticket is sold in this same save (the reactions).
                await db.SaveChangesAsync(cancellationToken);
                LogPaid(orderId, payment.Id, providerReference, amountMinor, currency);
                return new PaymentResult(PaymentOutcome.Completed, payment.Id, providerReference);
            }
            catch (BusinessRuleViolationException ex) when (ex.Rule is TicketMustBeHeldByOrderRule or TicketMustBeListedRule)
            {
                // Paid after the order expired, and the ticket went to someone else meanwhile.
                return await RejectAsync(orderId, providerReference, amountMinor, currency, RefundReason.TicketGone, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < SaveRetries.MaxAttempts)
            {
                // Lost a race (a cancel, the expiry, a concurrent delivery of the same payment): decide again.
            }
        }
    }

    /// <summary>
    /// Settles an order whose charge was left in flight (the process died, the database failed, the
    /// provider did not answer in time): the provider's own record decides. Money taken is applied or
    /// refunded; a payment the provider still confirms waits for it; no money frees the order again.
    /// </summary>
    public async Task<PaymentOutcome?> SettleAbandonedChargeAsync(Guid orderId, CancellationToken cancellationToken = default)
    {
        Order? order;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        }

        if (order is not { IsCharging: true, PaymentAttemptId: { } attemptId })
        {
            return null;
        }

        var status = await gateway.FindChargeAsync(Lookup(order), cancellationToken);
        LogSettling(orderId, attemptId, status.State, status.Reference);
        switch (status.State)
        {
            case ChargeState.Succeeded:
                var applied = await ApplyAsync(orderId, status.Reference!, status.AmountMinor, status.Currency ?? Currency, cancellationToken);
                await ReleaseIfRefusedAsync(orderId, attemptId, applied, cancellationToken);
                return applied.Outcome;
            case ChargeState.Pending:
                await AwaitConfirmationAsync(orderId, attemptId, status.Reference!, cancellationToken);
                return PaymentOutcome.Pending;
            default:
                await ReleaseAsync(orderId, attemptId, status.Reference, cancellationToken);
                return null;
        }
    }

    /// <summary>
    /// Asks the provider for a refund this application owes and records it. Returns false when none
    /// is owed or the provider could not be reached (the reconciliation job asks again).
    /// </summary>
    public async Task<bool> RefundOwedAsync(Guid paymentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is not { Status: PaymentStatus.Refunding })
        {
            return false;
        }

        string refundReference;
        try
        {
            // One refund per charge: the key makes a repeated request (a retry, another instance's
            // reconciliation) return the refund already made.
            refundReference = await gateway.RefundAsync(
                new RefundRequest(payment.ProviderReference, payment.AmountOwed, $"refund-{payment.ProviderReference}"), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRefundFailed(ex, payment.OrderId, payment.ProviderReference);
            return false;
        }

        payment.CompleteRefund(refundReference, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Recorded by someone else meanwhile (the provider's webhook, another instance).
            return false;
        }

        LogRefunded(payment.OrderId, payment.ProviderReference, refundReference, payment.RefundReason!.Value);
        return true;
    }

    /// <summary>
    /// The provider reports money of one of our charges refunded (<paramref name="totalRefundedMinor"/>
    /// in all). A refund we owed is recorded as done; the whole of a payment that completed its order
    /// reverses the sale (the order is cancelled and the ticket goes back on sale). Returns false when
    /// the charge is unknown here or nothing changed.
    /// </summary>
    public Task<bool> RecordProviderRefundAsync(string providerReference, string refundReference, long totalRefundedMinor, CancellationToken cancellationToken = default) =>
        ChangePaymentAsync(providerReference, p => p.RecordProviderRefund(refundReference, totalRefundedMinor, clock.GetUtcNow()), cancellationToken);

    /// <summary>The buyer's bank disputes one of our charges: recorded for the admin; the sale stands until the dispute closes.</summary>
    public Task<bool> RecordDisputeAsync(string providerReference, string disputeReference, string? reason, CancellationToken cancellationToken = default) =>
        ChangePaymentAsync(providerReference, p => p.RecordDispute(disputeReference, reason, clock.GetUtcNow()), cancellationToken);

    /// <summary>
    /// Stops the provider's payment of a cancelled order. If it took the money first, that money is
    /// applied like any other: refunded, or completing an expired order whose ticket is still free.
    /// </summary>
    public async Task StopPaymentOfCancelledOrderAsync(Guid orderId, string providerReference, CancellationToken cancellationToken = default)
    {
        Order? order;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        }

        if (order is null)
        {
            return;
        }

        // The cancel belongs to the attempt that opened (or last confirmed) the payment; an order
        // only names a provider payment once an attempt has reached the provider.
        var cancelKey = order.PaymentAttemptId is { } attemptId ? $"{AttemptKey(orderId, attemptId)}-cancel" : $"order-{orderId}-cancel";
        if (await gateway.CancelAsync(providerReference, cancelKey, cancellationToken))
        {
            LogProviderPaymentCanceled(orderId, providerReference);
            return;
        }

        var status = await gateway.FindChargeAsync(Lookup(order), cancellationToken);
        if (status is { State: ChargeState.Succeeded, Reference: { } reference })
        {
            await ApplyAsync(orderId, reference, status.AmountMinor, status.Currency ?? Currency, cancellationToken);
        }
    }

    /// <summary>The order's description at the provider; the same on every call, since Stripe's idempotency compares it.</summary>
    private static string Describe(Order order) => $"Ticket: {order.TicketTitle}";

    private ChargeLookup Lookup(Order order) => new(order.Id, Money.ToMinorUnits(order.Price), Currency, Describe(order));

    private async Task<Order> ReadBuyersOrderAsync(Actor buyer, Guid orderId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
            ?? throw new NotFoundException("Order not found");
        return order.BuyerId == buyer.UserId ? order : throw new AccessDeniedException();
    }

    private static string AttemptKey(Guid orderId, Guid attemptId) => $"order-{orderId}-attempt-{attemptId}";

    private async Task<Claim> ClaimAsync(Actor buyer, Guid orderId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
                ?? throw new NotFoundException("Order not found");
            if (order.BuyerId != buyer.UserId)
            {
                throw new AccessDeniedException();
            }

            var attemptId = Guid.NewGuid();
            order.ClaimPayment(attemptId, clock.GetUtcNow());
            try
            {
                // The single point of serialisation: the UPDATE matches only the row version read above.
                // Not cancellable: a claim committed for a client that went away would hold the order
                // until reconciliation instead of being charged or released now.
                await db.SaveChangesAsync(CancellationToken.None);
                LogClaimed(orderId, attemptId);
                return new Claim(orderId, attemptId, Money.ToMinorUnits(order.Price), Describe(order));
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
                // Another payment, a cancel or the expiry wrote the order first: read what it did.
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new BusinessRuleViolationException(new PaymentMustNotBeInProgressRule(inProgress: true));
            }
        }
    }

    private async Task<PaymentResult> ChargeAsync(Claim claim, string token, string? returnUrl)
    {
        ChargeResult charge;
        using (var timeout = new CancellationTokenSource(options.Value.ChargeTimeout))
        {
            try
            {
                charge = await gateway.ChargeAsync(
                    new ChargeRequest(claim.OrderId, claim.AmountMinor, Currency, token, AttemptKey(claim.OrderId, claim.AttemptId), claim.Description, returnUrl),
                    timeout.Token);
            }
            catch (PaymentProviderUnavailableException)
            {
                LogProviderUnavailable(claim.OrderId, gateway.Name);
                await ReleaseAsync(claim.OrderId, claim.AttemptId, paymentReference: null, CancellationToken.None);
                throw;
            }
            catch (Exception ex)
            {
                // Money may have moved: the claim stays, and reconciliation asks the provider later.
                LogOutcomeUnknown(ex, claim.OrderId, claim.AttemptId);
                return new PaymentResult(PaymentOutcome.Unconfirmed, null, null);
            }
        }

        switch (charge.Outcome)
        {
            case ChargeOutcome.Declined:
                LogDeclined(claim.OrderId, gateway.Name);
                await ReleaseAsync(claim.OrderId, claim.AttemptId, charge.Reference, CancellationToken.None);
                throw new PaymentDeclinedException(charge.Message ?? GatewayMessages.Declined);
            case ChargeOutcome.InvalidToken:
                await ReleaseAsync(claim.OrderId, claim.AttemptId, charge.Reference, CancellationToken.None);
                throw new InvalidInputException(charge.Message ?? GatewayMessages.UnknownToken, "token");
            case ChargeOutcome.Pending:
                await AwaitConfirmationAsync(claim.OrderId, claim.AttemptId, charge.Reference!, CancellationToken.None);
                return new PaymentResult(PaymentOutcome.Pending, null, charge.Reference, ActionSecret: charge.ActionSecret);
        }

        try
        {
            var applied = await ApplyAsync(claim.OrderId, charge.Reference!, claim.AmountMinor, Currency, CancellationToken.None);
            await ReleaseIfRefusedAsync(claim.OrderId, claim.AttemptId, applied, CancellationToken.None);
            return applied;
        }
        catch (Exception ex) when (ex is not DomainException)
        {
            // Charged, but not saved (the database failed): the claim stays, and reconciliation finds
            // the charge and applies it.
            LogSaveFailed(ex, claim.OrderId, charge.Reference!);
            return new PaymentResult(PaymentOutcome.Unconfirmed, null, charge.Reference);
        }
    }

    /// <summary>The attempt's money went back rather than into the order: the order is free of the attempt again.</summary>
    private Task ReleaseIfRefusedAsync(Guid orderId, Guid attemptId, PaymentResult applied, CancellationToken cancellationToken) =>
        applied.RefundReason is null ? Task.CompletedTask : ReleaseAsync(orderId, attemptId, applied.ProviderReference, cancellationToken);

    /// <summary>Ends an attempt that took no money. A failure leaves the claim to reconciliation.</summary>
    private Task ReleaseAsync(Guid orderId, Guid attemptId, string? paymentReference, CancellationToken cancellationToken) =>
        ChangeClaimAsync(orderId, (order, now) => order.ReleasePayment(attemptId, paymentReference, now), "released", cancellationToken);

    private Task AwaitConfirmationAsync(Guid orderId, Guid attemptId, string paymentReference, CancellationToken cancellationToken) =>
        ChangeClaimAsync(orderId, (order, now) => order.AwaitConfirmation(attemptId, paymentReference, now), "awaits confirmation", cancellationToken);

    private Task DeclineConfirmationAsync(Guid orderId, Guid attemptId, CancellationToken cancellationToken) =>
        ChangeClaimAsync(orderId, (order, now) => order.DeclineConfirmation(attemptId, now), "ended without money at the bank", cancellationToken);

    /// <summary>
    /// Applies a transition that only the attempt holding the order may make, guarded by the order's
    /// concurrency token like the claim itself.
    /// </summary>
    private async Task ChangeClaimAsync(Guid orderId, Func<Order, DateTimeOffset, bool> change, string what, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
                if (order is null || !change(order, clock.GetUtcNow()))
                {
                    return;
                }

                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    LogClaimChanged(orderId, what, order.Status.ToWire());
                    return;
                }
                catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
                {
                    // The payment was applied (or reconciled) meanwhile: look again.
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogClaimChangeFailed(ex, orderId, what);
        }
    }

    private async Task<bool> ChangePaymentAsync(string providerReference, Func<Payment, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var payment = await db.Payments.FirstOrDefaultAsync(p => p.ProviderReference == providerReference, cancellationToken);
            if (payment is null)
            {
                LogUnknownCharge(providerReference);
                return false;
            }

            if (!change(payment))
            {
                return false;
            }

            try
            {
                // A reversed sale cancels its order and frees the ticket in this same save (the reactions).
                await db.SaveChangesAsync(cancellationToken);
                LogPaymentChanged(payment.OrderId, providerReference, payment.Status, payment.RefundedMinor, payment.DisputeReference);
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < SaveRetries.MaxAttempts)
            {
            }
        }
    }

    private RefundReason? RejectionOf(Order order, long amountMinor, string currency)
    {
        if (amountMinor != Money.ToMinorUnits(order.Price) || !string.Equals(currency, Currency, StringComparison.OrdinalIgnoreCase))
        {
            LogAmountMismatch(order.Id, amountMinor, currency, Money.ToMinorUnits(order.Price), Currency);
            return RefundReason.AmountMismatch;
        }

        return order.Status switch
        {
            OrderStatus.Complete or OrderStatus.Refunded => RefundReason.AlreadyPaid,

            // Its buyer deleted their account: no late payment may complete it for nobody.
            _ when order.BuyerId == DeletedAccount.Id => RefundReason.OrderCancelled,
            OrderStatus.Cancelled when order.CancellationReason != CancellationReason.Expired => RefundReason.OrderCancelled,
            _ => null,
        };
    }

    /// <summary>Records the money as owed back first, then refunds it: a crash in between leaves the debt on the books.</summary>
    private async Task<PaymentResult> RejectAsync(Guid orderId, string providerReference, long amountMinor, string currency, RefundReason reason, CancellationToken cancellationToken)
    {
        if (amountMinor <= 0)
        {
            // Nothing was taken, so nothing can go back.
            LogNothingToRefund(orderId, providerReference);
            return new PaymentResult(PaymentOutcome.Refunded, null, providerReference, reason);
        }

        var payment = Payment.Reject(
            Guid.NewGuid(), orderId, amountMinor, string.IsNullOrWhiteSpace(currency) ? "xxx" : currency, providerReference, reason, clock.GetUtcNow());
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Payments.Add(payment);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A concurrent delivery of the same charge recorded it first; that one refunds it.
                await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
                var existing = await fresh.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.ProviderReference == providerReference, cancellationToken);
                if (existing is null)
                {
                    throw;
                }

                return new PaymentResult(PaymentOutcome.AlreadyApplied, existing.Id, providerReference, existing.RefundReason);
            }
        }

        LogRejected(orderId, providerReference, reason);
        await RefundOwedAsync(payment.Id, cancellationToken);
        return new PaymentResult(PaymentOutcome.Refunded, payment.Id, providerReference, reason);
    }

    private sealed record Claim(Guid OrderId, Guid AttemptId, long AmountMinor, string Description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} claimed by payment attempt {AttemptId}")]
    private partial void LogClaimed(Guid orderId, Guid attemptId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} paid: payment {PaymentId}, provider reference {ProviderReference}, {AmountMinor} {Currency}")]
    private partial void LogPaid(Guid orderId, Guid paymentId, string providerReference, long amountMinor, string currency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} payment declined by the {Gateway} gateway")]
    private partial void LogDeclined(Guid orderId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} could not be charged: the {Gateway} gateway was unavailable, and nothing was charged")]
    private partial void LogProviderUnavailable(Guid orderId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} payment attempt {AttemptId} has no answer from the provider; reconciliation settles it")]
    private partial void LogOutcomeUnknown(Exception ex, Guid orderId, Guid attemptId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} was charged ({ProviderReference}) but the payment could not be saved; reconciliation applies it")]
    private partial void LogSaveFailed(Exception ex, Guid orderId, string providerReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} payment attempt {State}; order now {Status}")]
    private partial void LogClaimChanged(Guid orderId, string state, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} payment attempt could not be marked {State}; reconciliation settles it")]
    private partial void LogClaimChangeFailed(Exception ex, Guid orderId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} abandoned payment attempt {AttemptId}: the provider says {State} ({ProviderReference})")]
    private partial void LogSettling(Guid orderId, Guid attemptId, ChargeState state, string? providerReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} payment attempt {AttemptId} awaiting confirmation: the provider says {State} ({ProviderReference})")]
    private partial void LogConfirmationSettling(Guid orderId, Guid attemptId, ChargeState state, string? providerReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} payment attempt {AttemptId} awaiting confirmation: the provider could not be asked")]
    private partial void LogConfirmationUnknown(Exception ex, Guid orderId, Guid attemptId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} was paid {AmountMinor} {Currency}, not its {ExpectedMinor} {ExpectedCurrency}: the payment is refunded, never applied")]
    private partial void LogAmountMismatch(Guid orderId, long amountMinor, string currency, long expectedMinor, string expectedCurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} cannot take payment {ProviderReference} ({Reason}): recorded as owed back")]
    private partial void LogRejected(Guid orderId, string providerReference, RefundReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} payment {ProviderReference} took no money; nothing to refund")]
    private partial void LogNothingToRefund(Guid orderId, string providerReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} payment {ProviderReference} refunded as {RefundReference} ({Reason})")]
    private partial void LogRefunded(Guid orderId, string providerReference, string refundReference, RefundReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} payment {ProviderReference} could not be refunded yet; reconciliation asks again")]
    private partial void LogRefundFailed(Exception ex, Guid orderId, string providerReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} provider payment {ProviderReference} canceled with the order")]
    private partial void LogProviderPaymentCanceled(Guid orderId, string providerReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider payment {ProviderReference} is not one this application recorded; the event changes nothing")]
    private partial void LogUnknownCharge(string providerReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} payment {ProviderReference} changed at the provider: {Status}, {RefundedMinor} refunded, dispute {DisputeReference}")]
    private partial void LogPaymentChanged(Guid orderId, string providerReference, PaymentStatus status, long refundedMinor, string? disputeReference);
}
