using Ticketing.Domain.Payments;

namespace Ticketing.Domain.Tests.Payments;

public sealed class PaymentRecordingTests
{
    [Fact]
    public void Record_StoresASucceededPaymentAtVersionZero()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);

        Assert.Equal(Given.PaymentId, payment.Id);
        Assert.Equal(Given.OrderId, payment.OrderId);
        Assert.Equal(5000, payment.AmountMinor);
        Assert.Equal("usd", payment.Currency);
        Assert.Equal("pi_123", payment.ProviderReference);
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Null(payment.RefundReference);
        Assert.Equal(Given.Now, payment.CreatedAt);
        Assert.Equal(0, payment.Version);
    }

    [Fact]
    public void Record_RaisesPaymentCreatedWithVersionZero()
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", "pi_123", Given.Now);

        var created = Assert.IsType<PaymentCreated>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentCreated(Given.PaymentId, 0, Given.Now, Given.OrderId, 5000, "usd", "pi_123"), created);
    }

    [Theory]
    [InlineData("USD")]
    [InlineData("Usd")]
    public void Record_LowerCasesTheCurrency(string currency)
    {
        var payment = Payment.Record(Given.PaymentId, Given.OrderId, 5000, currency, "pi_123", Given.Now);

        Assert.Equal("usd", payment.Currency);
        var created = Assert.IsType<PaymentCreated>(Assert.Single(payment.DomainEvents));
        Assert.Equal("usd", created.Currency);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-5000)]
    public void Record_WithNonPositiveAmount_Throws(long amountMinor)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => Payment.Record(Given.PaymentId, Given.OrderId, amountMinor, "usd", "pi_123", Given.Now));

        Assert.Equal("amountMinor", ex.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Record_WithBlankCurrency_Throws(string? currency)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(
            () => Payment.Record(Given.PaymentId, Given.OrderId, 5000, currency!, "pi_123", Given.Now));

        Assert.Equal("currency", ex.ParamName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Record_WithBlankProviderReference_Throws(string? providerReference)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(
            () => Payment.Record(Given.PaymentId, Given.OrderId, 5000, "usd", providerReference!, Given.Now));

        Assert.Equal("providerReference", ex.ParamName);
    }
}
