using Ticketing.Domain.Payments;

namespace Ticketing.Domain.Tests.Payments;

public sealed class RefundedPaymentTests
{
    [Fact]
    public void RecordRefunded_StoresARefundedPayment()
    {
        var payment = Payment.RecordRefunded(Given.PaymentId, Given.OrderId, 5000, "EUR", "pi_123", "re_456", Given.Now);

        Assert.Equal(Given.PaymentId, payment.Id);
        Assert.Equal(Given.OrderId, payment.OrderId);
        Assert.Equal(5000, payment.AmountMinor);
        Assert.Equal("eur", payment.Currency);
        Assert.Equal("pi_123", payment.ProviderReference);
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.Equal("re_456", payment.RefundReference);
        Assert.Equal(Given.Now, payment.CreatedAt);
        Assert.Equal(0, payment.Version);
    }

    [Fact]
    public void RecordRefunded_RaisesPaymentRefundedAndNotPaymentCreated()
    {
        var payment = Payment.RecordRefunded(Given.PaymentId, Given.OrderId, 5000, "eur", "pi_123", "re_456", Given.Now);

        var refunded = Assert.IsType<PaymentRefunded>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentRefunded(Given.PaymentId, 0, Given.Now, Given.OrderId, "re_456"), refunded);
        Assert.DoesNotContain(payment.DomainEvents, e => e is PaymentCreated);
    }
}
