using Ticketing.Web.Components.Pages.Orders;

namespace Ticketing.Web.Tests.Components.Orders;

public sealed class OrderDisplayTests
{
    [Theory]
    [InlineData(750, "12:30 left")]
    [InlineData(749.2, "12:30 left")]
    [InlineData(59, "0:59 left")]
    [InlineData(0.2, "0:01 left")]
    [InlineData(3723, "1:02:03 left")]
    [InlineData(0, "Expired")]
    [InlineData(-5, "Expired")]
    public void Remaining_RoundsUpToTheSecond_AndReadsExpiredAtZero(double seconds, string expected) =>
        Assert.Equal(expected, Ticketing.Web.Components.Shared.Display.Remaining(TimeSpan.FromSeconds(seconds), Support.Localizers.Ui));

    [Theory]
    [InlineData("created", false, "Reserved")]
    [InlineData("created", true, "Expired")]
    [InlineData("awaiting:payment", false, "Payment pending")]
    [InlineData("complete", true, "Paid")]
    [InlineData("cancelled", false, "Cancelled")]
    [InlineData("cancelled", true, "Expired")]
    public void StatusLabel_ForABuyer_ReadsExpiredOncePastTheWindow(string status, bool windowClosed, string expected) =>
        Assert.Equal(expected, OrderDisplay.StatusLabel(status, windowClosed));

    [Theory]
    [InlineData("user", "Cancelled by buyer")]
    [InlineData("admin", "Cancelled by admin")]
    [InlineData("expired", "Expired")]
    public void StatusLabel_ForAnAdmin_GivesTheCancellationReason(string reason, string expected) =>
        Assert.Equal(expected, OrderDisplay.StatusLabel("cancelled", reason, windowClosed: false));
}
