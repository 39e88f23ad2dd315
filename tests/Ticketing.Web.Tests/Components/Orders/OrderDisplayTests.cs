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
    [InlineData("awaiting:payment", true, "Expired")]
    [InlineData("complete", true, "Paid")]
    public void StatusLabel_OfALiveOrder_ReadsExpiredOncePastTheWindow(string status, bool windowClosed, string expected) =>
        Assert.Equal(expected, OrderDisplay.StatusLabel(status, null, windowClosed));

    [Theory]
    [InlineData("user", false, "Cancelled by buyer")]
    [InlineData("user", true, "Cancelled by you")]
    [InlineData("admin", true, "Cancelled by admin")]
    [InlineData("expired", true, "Expired")]
    [InlineData(null, true, "Cancelled")]
    public void StatusLabel_OfACancelledOrder_GivesItsReason_HoweverLongAgoItsWindowClosed(string? reason, bool toBuyer, string expected)
    {
        Assert.Equal(expected, OrderDisplay.StatusLabel("cancelled", reason, windowClosed: false, toBuyer));
        Assert.Equal(expected, OrderDisplay.StatusLabel("cancelled", reason, windowClosed: true, toBuyer));
    }
}
