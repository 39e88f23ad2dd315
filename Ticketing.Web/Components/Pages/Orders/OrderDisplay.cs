using MudBlazor;
using Ticketing.Domain.Orders;
using static Ticketing.Domain.Orders.OrderStatusNames;

namespace Ticketing.Web.Components.Pages.Orders;

/// <summary>How orders read on screen: status words and colours, prices and countdowns.</summary>
public static class OrderDisplay
{
    /// <summary>
    /// The word for an order's status. A live order past its window reads "Expired" until the expiry
    /// job catches up. A cancelled one says why, from its recorded reason (user, expired or admin),
    /// whenever it is read: an order its buyer cancelled never turns "Expired" once its window has
    /// passed. <paramref name="toBuyer"/>: the reader is the buyer, whose own cancel reads "Cancelled by you".
    /// </summary>
    public static string StatusLabel(string status, string? cancellationReason, bool windowClosed, bool toBuyer = false) => status switch
    {
        Created => windowClosed ? "Expired" : "Reserved",
        AwaitingPayment => windowClosed ? "Expired" : "Payment pending",
        Complete => "Paid",
        Cancelled => cancellationReason switch
        {
            CancellationReasonNames.Expired => "Expired",
            CancellationReasonNames.Admin => "Cancelled by admin",
            CancellationReasonNames.User => toBuyer ? "Cancelled by you" : "Cancelled by buyer",
            _ => "Cancelled",
        },
        Refunded => "Refunded",
        _ => status,
    };

    public static Color StatusColor(string status, bool windowClosed) => status switch
    {
        Created or AwaitingPayment when windowClosed => Color.Default,
        Created => Color.Info,
        AwaitingPayment => Color.Warning,
        Complete => Color.Success,
        _ => Color.Default,
    };

    public static string StatusIcon(string status) => status switch
    {
        Created => Icons.Material.Outlined.HourglassTop,
        AwaitingPayment => Icons.Material.Outlined.Sync,
        Complete => Icons.Material.Filled.CheckCircle,
        Refunded => Icons.Material.Outlined.Undo,
        _ => Icons.Material.Outlined.Block,
    };
}
