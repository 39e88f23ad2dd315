using System.Globalization;
using System.Security.Claims;
using MudBlazor;
using Ticketing.Domain.Orders;
using static Ticketing.Domain.Orders.OrderStatusNames;

namespace Ticketing.Web.Components.Pages.Orders;

/// <summary>How orders read on screen: status words and colours, prices and countdowns.</summary>
public static class OrderDisplay
{
    /// <summary>
    /// The word a buyer reads for a wire status. A cancelled order whose window has closed reads
    /// "Expired" (the buyer's view of an order carries no cancellation reason, and an order cancelled
    /// after its window closed is one the expiry job or the clock ended); a live one past its window
    /// reads "Expired" too, until the expiry job catches up.
    /// </summary>
    public static string StatusLabel(string status, bool windowClosed) => status switch
    {
        Created => windowClosed ? "Expired" : "Reserved",
        AwaitingPayment => windowClosed ? "Expired" : "Payment pending",
        Complete => "Paid",
        Cancelled => windowClosed ? "Expired" : "Cancelled",
        Refunded => "Refunded",
        _ => status,
    };

    /// <summary>The label for an admin, who knows why an order was cancelled.</summary>
    public static string StatusLabel(string status, string? cancellationReason, bool windowClosed) =>
        status == Cancelled && cancellationReason is { } reason
            ? reason switch
            {
                "expired" => "Expired",
                "admin" => "Cancelled by admin",
                _ => "Cancelled by buyer",
            }
            : StatusLabel(status, windowClosed);

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

    public static string FormatUtc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
