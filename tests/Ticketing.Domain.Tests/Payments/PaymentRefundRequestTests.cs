using Ticketing.Domain.Payments;

namespace Ticketing.Domain.Tests.Payments;

/// <summary>The payment of a refunded order: owed back first, refunded once the provider confirms.</summary>
public sealed class PaymentRefundRequestTests
{
    [Fact]
    public void RequestRefund_OfAPaymentThatPaysItsOrder_OwesTheWholeAmount()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);
        payment.ClearDomainEvents();

        Assert.True(payment.RequestRefund(RefundReason.Admin, Given.Later(5)));

        Assert.Equal((PaymentStatus.Refunding, (RefundReason?)RefundReason.Admin, 5000L, 1), (payment.Status, payment.RefundReason, payment.AmountOwed, payment.Version));
        Assert.Equal(new PaymentRefundRequested(Given.PaymentId, 1, Given.Later(5), Given.OrderId, 5000, RefundReason.Admin), Assert.Single(payment.DomainEvents));
    }

    [Fact]
    public void RequestRefund_AfterAPartialRefundAtTheProvider_OwesTheRest_AndTheRefundRecordsOnlyThat()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);
        payment.RecordProviderRefund("re_part", 1500, Given.Later(1));
        payment.ClearDomainEvents();

        payment.RequestRefund(RefundReason.Admin, Given.Later(5));
        payment.CompleteRefund("re_rest", Given.Later(6));

        Assert.Equal((PaymentStatus.Refunded, 5000L, "re_rest"), (payment.Status, payment.RefundedMinor, payment.RefundReference));
        var refunded = Assert.IsType<PaymentRefunded>(payment.DomainEvents.Last());
        Assert.Equal(3500, refunded.AmountMinor);
    }

    [Fact]
    public void RequestRefund_OfMoneyAlreadyOwedOrReturned_ChangesNothing()
    {
        var owed = Payment.Reject(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", RefundReason.TicketGone, Given.Now);
        owed.ClearDomainEvents();
        var returned = Payment.Record(Guid.NewGuid(), Given.OtherOrderId, 5000, "usd", "pi_456", Given.Now);
        returned.RecordProviderRefund("re_all", 5000, Given.Later(1));
        returned.ClearDomainEvents();

        Assert.False(owed.RequestRefund(RefundReason.Admin, Given.Later(5)));
        Assert.False(returned.RequestRefund(RefundReason.Admin, Given.Later(5)));

        Assert.Equal((RefundReason?)RefundReason.TicketGone, owed.RefundReason);
        Assert.Empty(owed.DomainEvents);
        Assert.Empty(returned.DomainEvents);
    }
}
