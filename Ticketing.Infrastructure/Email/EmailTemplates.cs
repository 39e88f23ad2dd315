namespace Ticketing.Infrastructure.Email;

/// <summary>What each e-mail says. Subjects name the ticket, so that a reader knows at a glance which order it is about.</summary>
public static class EmailTemplates
{
    public static OutgoingEmail ReservationMade(string to, string title, decimal price, string currency, Guid orderId, DateTimeOffset expiresAt) =>
        EmailLayout.Compose(
            to,
            $"Reserved: {title}",
            "Your ticket is reserved",
            [
                $"“{title}” is held for you until {EmailLayout.FormatInstant(expiresAt)}.",
                "Pay before then to make it yours; after that the reservation expires and the ticket goes back on sale.",
            ],
            [new("Ticket", title), new("Price", Money.Format(price, currency)), new("Pay by", EmailLayout.FormatInstant(expiresAt)), new("Order", orderId.ToString())]);

    public static OutgoingEmail PaymentReceived(string to, string title, decimal price, string currency, Guid orderId, DateTimeOffset paidAt, string? paymentReference) =>
        EmailLayout.Compose(
            to,
            $"Receipt: {title}",
            "Payment received — the ticket is yours",
            [$"Thank you. We received {Money.Format(price, currency)} for “{title}”. Keep this e-mail as your receipt."],
            [
                new("Ticket", title),
                new("Paid", Money.Format(price, currency)),
                new("Date", EmailLayout.FormatInstant(paidAt)),
                new("Order", orderId.ToString()),
                .. paymentReference is null ? Array.Empty<EmailLayout.Fact>() : [new("Payment reference", paymentReference)],
            ]);

    /// <param name="code">The e-ticket's code, shown at the door or typed there where nothing scans.</param>
    /// <param name="qrHtml">The code's QR symbol, drawn by the app as an HTML table.</param>
    /// <param name="hasFile">The seller attached a ticket file, ready on the order page.</param>
    /// <param name="sellerSendsBy">Without a file: when the seller must attach it.</param>
    public static OutgoingEmail ETicket(string to, string title, Guid orderId, string code, string qrHtml, bool hasFile, DateTimeOffset? sellerSendsBy) =>
        EmailLayout.Compose(
            to,
            $"Your e-ticket: {title}",
            "Your e-ticket",
            [
                $"Show this code at the door of “{title}”. It admits one person, once.",
                hasFile
                    ? "The seller's ticket file is ready too: download it from the order in Ticketing (Orders)."
                    : sellerSendsBy is { } by
                        ? $"The seller still has to attach the ticket file, by {EmailLayout.FormatInstant(by)}; it will be on the order in Ticketing (Orders)."
                        : "The seller still has to attach the ticket file; it will be on the order in Ticketing (Orders).",
            ],
            [new("Ticket", title), new("E-ticket code", code), new("Order", orderId.ToString())],
            generatedHtml: qrHtml);

    public static OutgoingEmail ReservationExpired(string to, string title, Guid orderId, DateTimeOffset expiresAt) =>
        EmailLayout.Compose(
            to,
            $"Reservation expired: {title}",
            "Your reservation expired",
            [
                $"The reservation of “{title}” ended at {EmailLayout.FormatInstant(expiresAt)} without a payment, so the ticket is back on sale.",
                "Nothing was charged. If you still want it, reserve it again while it is available.",
            ],
            [new("Ticket", title), new("Reason", "Not paid in time"), new("Order", orderId.ToString())]);

    /// <param name="byAdmin">True when an admin cancelled it; otherwise the buyer did.</param>
    public static OutgoingEmail OrderCancelled(string to, string title, Guid orderId, bool byAdmin, DateTimeOffset cancelledAt) =>
        EmailLayout.Compose(
            to,
            $"Order cancelled: {title}",
            "Your order was cancelled",
            [
                byAdmin
                    ? $"An administrator cancelled your reservation of “{title}”, and the ticket is back on sale."
                    : $"You cancelled your reservation of “{title}”, and the ticket is back on sale.",
                "Nothing was charged.",
            ],
            [
                new("Ticket", title),
                new("Reason", byAdmin ? "Cancelled by an administrator" : "Cancelled by you"),
                new("Date", EmailLayout.FormatInstant(cancelledAt)),
                new("Order", orderId.ToString()),
            ]);

    /// <summary>The buyer's money goes back: a refunded order, or money the order could not take.</summary>
    public static OutgoingEmail RefundMade(string to, string title, decimal amount, string currency, Guid orderId, string reason, DateTimeOffset refundedAt) =>
        EmailLayout.Compose(
            to,
            $"Refund: {title}",
            "Your money is on its way back",
            [
                $"We refunded {Money.Format(amount, currency)} for “{title}” to the card you paid with. Banks usually show it within 5–10 days.",
            ],
            [
                new("Ticket", title),
                new("Refunded", Money.Format(amount, currency)),
                new("Reason", reason),
                new("Date", EmailLayout.FormatInstant(refundedAt)),
                new("Order", orderId.ToString()),
            ]);

    /// <param name="attachFileBy">The listing had no ticket file: when the seller must attach it (the buyer's deadline as the buyer was told it).</param>
    public static OutgoingEmail TicketSold(string to, string title, decimal price, string currency, Guid orderId, DateTimeOffset soldAt, DateTimeOffset? attachFileBy = null) =>
        EmailLayout.Compose(
            to,
            $"Sold: {title}",
            "Your ticket sold",
            attachFileBy is { } by
                ?
                [
                    $"A buyer paid {Money.Format(price, currency)} for “{title}”. The listing is now marked sold.",
                    $"The listing has no ticket file: attach it under My listings by {EmailLayout.FormatInstant(by)}. The buyer was told to expect it by then; their e-ticket already gets them in.",
                ]
                : [$"A buyer paid {Money.Format(price, currency)} for “{title}”. The listing is now marked sold."],
            attachFileBy is { } deadline
                ? [new("Ticket", title), new("Price", Money.Format(price, currency)), new("Date", EmailLayout.FormatInstant(soldAt)), new("Attach the file by", EmailLayout.FormatInstant(deadline)), new("Order", orderId.ToString())]
                : [new("Ticket", title), new("Price", Money.Format(price, currency)), new("Date", EmailLayout.FormatInstant(soldAt)), new("Order", orderId.ToString())]);

    public static OutgoingEmail TicketFileRetired(string to, string title, Guid ticketId) =>
        EmailLayout.Compose(
            to,
            $"Back on sale: {title}",
            "Your ticket is back on sale: attach a new file",
            [
                $"The sale of “{title}” was refunded and the ticket is on sale again.",
                "The refunded buyer could download the ticket file you attached, so it was taken off the listing. Ask the organiser to reissue the ticket and attach the new file under My listings; until then the listing says you send it after the sale.",
            ],
            [new("Ticket", title), new("Listing", ticketId.ToString())]);

    /// <param name="confirmationLink">The link that confirms the address; null when it is confirmed already.</param>
    public static OutgoingEmail Welcome(string to, string? confirmationLink = null) =>
        EmailLayout.Compose(
            to,
            "Welcome to Ticketing",
            "Welcome to Ticketing",
            [
                "Your account is ready. You can list tickets you hold for others to buy, and buy tickets that others list.",
                "Buying is two steps: reserve a ticket, then pay before the reservation runs out. We will e-mail you at each step.",
                .. confirmationLink is null ? Array.Empty<string>() : ["Please confirm that this address is yours with the link below. Until then, the site reminds you."],
            ],
            [new("Account", to)],
            confirmationLink is null ? null : new EmailLayout.Action("Confirm my address", confirmationLink));

    /// <summary>The account asked for its confirmation link again.</summary>
    public static OutgoingEmail ConfirmAddress(string to, string confirmationLink) =>
        EmailLayout.Compose(
            to,
            "Confirm your e-mail address",
            "Confirm your e-mail address",
            ["Open the link below to confirm that this address belongs to your Ticketing account.", "If you did not ask for it, you can ignore this e-mail."],
            [new("Account", to)],
            new EmailLayout.Action("Confirm my address", confirmationLink));

    /// <param name="validFor">How long the link works.</param>
    public static OutgoingEmail PasswordReset(string to, string resetLink, TimeSpan validFor) =>
        EmailLayout.Compose(
            to,
            "Reset your Ticketing password",
            "Choose a new password",
            [
                $"Someone, hopefully you, asked to reset the password of this account. The link below works once, for {Duration(validFor)}.",
                "If you did not ask for it, ignore this e-mail: your password stays as it is.",
            ],
            [new("Account", to)],
            new EmailLayout.Action("Choose a new password", resetLink));

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? Plural((int)span.TotalHours, "hour")
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? Plural((int)span.TotalMinutes, "minute")
        : Plural((int)Math.Ceiling(span.TotalSeconds), "second");

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
