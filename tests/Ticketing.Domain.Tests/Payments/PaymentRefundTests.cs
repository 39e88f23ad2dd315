using Ticketing.Domain.Payments;

namespace Ticketing.Domain.Tests.Payments;

public sealed class PaymentRefundTests
{
    [Fact]
    public void Reject_RecordsTheMoneyAsOwedBackAndRaisesNoPaymentCreated()
    {
        var payment = Payment.Reject(Given.PaymentId, Given.OrderId, 5000, "EUR", "pi_123", RefundReason.OrderCancelled, Given.Now);

        Assert.Equal((PaymentStatus.Refunding, (RefundReason?)RefundReason.OrderCancelled, "eur", 0L, 0), (payment.Status, payment.RefundReason, payment.Currency, payment.RefundedMinor, payment.Version));
        Assert.Null(payment.RefundReference);
        var rejected = Assert.IsType<PaymentRejected>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentRejected(Given.PaymentId, 0, Given.Now, Given.OrderId, 5000, "eur", "pi_123", RefundReason.OrderCancelled), rejected);
    }

    [Fact]
    public void CompleteRefund_OfARefundOwed_RecordsTheRefundOnce()
    {
        var payment = Payment.Reject(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", RefundReason.TicketGone, Given.Now);
        payment.ClearDomainEvents();

        Assert.True(payment.CompleteRefund("re_456", Given.Later(1)));
        Assert.False(payment.CompleteRefund("re_789", Given.Later(2)));

        Assert.Equal((PaymentStatus.Refunded, "re_456", 5000L, (DateTimeOffset?)Given.Later(1), 1), (payment.Status, payment.RefundReference, payment.RefundedMinor, payment.RefundedAt, payment.Version));
        var refunded = Assert.IsType<PaymentRefunded>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentRefunded(Given.PaymentId, 1, Given.Later(1), Given.OrderId, "re_456", 5000, RefundReason.TicketGone), refunded);
    }

    [Fact]
    public void CompleteRefund_OfAPaymentThatPaysItsOrder_ChangesNothing()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);
        payment.ClearDomainEvents();

        Assert.False(payment.CompleteRefund("re_456", Given.Later(1)));

        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Empty(payment.DomainEvents);
    }

    [Fact]
    public void RecordProviderRefund_OfTheWholePaymentOfACompletedOrder_ReversesTheSale()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);
        payment.ClearDomainEvents();

        Assert.True(payment.RecordProviderRefund("re_dash", 5000, Given.Later(10)));
        Assert.False(payment.RecordProviderRefund("re_dash", 5000, Given.Later(11)));

        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.Provider, "re_dash", 5000L), (payment.Status, payment.RefundReason, payment.RefundReference, payment.RefundedMinor));
        var reversed = Assert.IsType<PaymentReversed>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentReversed(Given.PaymentId, 1, Given.Later(10), Given.OrderId, "re_dash"), reversed);
    }

    [Fact]
    public void RecordProviderRefund_OfPartOfThePayment_IsRecordedAndTheSaleStands()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);
        payment.ClearDomainEvents();

        Assert.True(payment.RecordProviderRefund("re_part", 1500, Given.Later(10)));
        Assert.False(payment.RecordProviderRefund("re_part", 1500, Given.Later(11)));

        Assert.Equal((PaymentStatus.Succeeded, 1500L, "re_part"), (payment.Status, payment.RefundedMinor, payment.RefundReference));
        var refunded = Assert.IsType<PaymentRefunded>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentRefunded(Given.PaymentId, 1, Given.Later(10), Given.OrderId, "re_part", 1500, RefundReason.Provider), refunded);
    }

    [Fact]
    public void RecordProviderRefund_OfARefundOwed_CompletesItWithItsOwnReason()
    {
        var payment = Payment.Reject(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", RefundReason.AlreadyPaid, Given.Now);
        payment.ClearDomainEvents();

        Assert.True(payment.RecordProviderRefund("re_456", 5000, Given.Later(1)));

        Assert.Equal((PaymentStatus.Refunded, (RefundReason?)RefundReason.AlreadyPaid), (payment.Status, payment.RefundReason));
        Assert.IsType<PaymentRefunded>(Assert.Single(payment.DomainEvents));
    }

    [Fact]
    public void RecordDispute_IsRecordedOnceAndLeavesThePaymentSucceeded()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);
        payment.ClearDomainEvents();

        Assert.True(payment.RecordDispute("dp_1", "fraudulent", Given.Later(10)));
        Assert.False(payment.RecordDispute("dp_1", "fraudulent", Given.Later(11)));

        Assert.Equal((PaymentStatus.Succeeded, "dp_1", "fraudulent", (DateTimeOffset?)Given.Later(10)), (payment.Status, payment.DisputeReference, payment.DisputeReason, payment.DisputedAt));
        var disputed = Assert.IsType<PaymentDisputed>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentDisputed(Given.PaymentId, 1, Given.Later(10), Given.OrderId, "dp_1", "fraudulent"), disputed);
    }
}
