using System.Globalization;
using Microsoft.Extensions.Localization;
using MudBlazor;
using Ticketing.Infrastructure.Audit;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Localization;

namespace Ticketing.Web.Components.Pages.Admin;

/// <summary>How the audit trail reads on screen.</summary>
public static class AuditDisplay
{
    public static string StepLabel(AuditStep step) => step switch
    {
        AuditStep.Listed => "Listed",
        AuditStep.Edited => "Edited",
        AuditStep.Withdrawn => "Withdrawn",
        AuditStep.Reserved => "Reserved",
        AuditStep.PaymentStarted => "Payment started",
        AuditStep.PaymentDeclined => "Payment declined",
        AuditStep.Paid => "Paid",
        AuditStep.Cancelled => "Cancelled",
        AuditStep.Expired => "Expired",
        AuditStep.Refunded => "Refunded",
        AuditStep.MoneyReturned => "Money returned",
        AuditStep.PaymentRefused => "Payment refused",
        AuditStep.Disputed => "Disputed",
        _ => step.ToString(),
    };

    public static Color StepColor(AuditStep step) => step switch
    {
        AuditStep.Paid => Color.Success,
        AuditStep.Reserved or AuditStep.PaymentStarted => Color.Info,
        AuditStep.PaymentDeclined or AuditStep.PaymentRefused or AuditStep.Disputed => Color.Warning,
        AuditStep.Refunded or AuditStep.MoneyReturned => Color.Secondary,
        _ => Color.Default,
    };

    public static string ActorLabel(AuditActor actor) => actor switch
    {
        AuditActor.Buyer => "Buyer",
        AuditActor.Seller => "Seller",
        AuditActor.Admin => "Admin",
        AuditActor.Expiry => "Expiry",
        AuditActor.Gateway => "Payment gateway",
        AuditActor.Webhook => "Provider webhook",
        _ => actor.ToString(),
    };

    /// <summary>
    /// What a step did, in the reader's language: amounts as every page writes them and instants in the
    /// browser's zone, like the When column. A step recorded before its template was kept reads as it was written.
    /// </summary>
    public static string Detail(AuditStepView step, IStringLocalizer<UiStrings> text, BrowserTime? time) =>
        step.Text is { } sentence ? sentence.Write(new ReadersLanguage(text, time ?? UtcUntilKnown)) : step.Detail;

    public static string OrderTrail(Guid orderId) => $"admin/orders/{orderId}/audit";

    public static string ListingTrail(Guid ticketId) => $"admin/listings/{ticketId}/audit";

    public static string Search(string query) => $"admin/audit?q={Uri.EscapeDataString(query)}";

    private static readonly BrowserTime UtcUntilKnown = new();

    private sealed class ReadersLanguage(IStringLocalizer<UiStrings> text, BrowserTime time) : AuditLanguage
    {
        public override CultureInfo Culture => CultureInfo.CurrentCulture;

        public override string Template(string english) => text[english].Value;

        public override string Money(decimal amount, string currency) => Display.Price(amount, currency);

        public override string Instant(DateTimeOffset instant) => time.Format(instant, "ddd d MMM yyyy, HH:mm");
    }
}
