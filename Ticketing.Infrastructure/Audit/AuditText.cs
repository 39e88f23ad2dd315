using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ticketing.Infrastructure.Orders;

namespace Ticketing.Infrastructure.Audit;

/// <summary>
/// A step's sentence as an English template with numbered placeholders and its typed arguments.
/// The English <see cref="AuditEntry.Detail"/> and every translated rendering are written from this
/// one value, so they cannot drift apart; the template is also the key of its translation.
/// </summary>
public sealed record AuditText(string Template, IReadOnlyList<AuditArg> Args)
{
    /// <summary>Arguments stored longer than this are not kept: the step shows its English detail.</summary>
    public const int MaxArgsLength = 2000;

    public const int MaxTemplateLength = 200;

    private static readonly JsonSerializerOptions Json = new()
    {
        // Stored for the app, not embedded in HTML: keep "ü" and "“" as they are, not as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static AuditText Of(string template, params AuditArg[] args) => new(template, args);

    /// <summary>The sentence as the English trail (API, logs, search) has always written it.</summary>
    public string English => Write(AuditLanguage.English);

    /// <summary>The sentence in <paramref name="language"/>: its words for the template, its way with money and instants.</summary>
    public string Write(AuditLanguage language)
    {
        var template = language.Template(Template);
        return Args.Count == 0
            ? template
            : string.Format(language.Culture, template, [.. Args.Select(a => a.Write(language))]);
    }

    /// <summary>The arguments as stored; none, for a sentence without any.</summary>
    internal string? ArgsJson() => Args.Count == 0 ? null : JsonSerializer.Serialize(Args, Json);

    /// <summary>A stored step's text; null for a step written before templates were (or a row that cannot be read).</summary>
    internal static AuditText? Read(string? template, string? args)
    {
        if (template is null)
        {
            return null;
        }

        try
        {
            return new AuditText(template, args is null ? [] : JsonSerializer.Deserialize<List<AuditArg>>(args, Json) ?? []);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One argument of a step's sentence, stored as JSON with its kind.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(AuditMoney), "money")]
[JsonDerivedType(typeof(AuditInstant), "instant")]
[JsonDerivedType(typeof(AuditPlain), "text")]
[JsonDerivedType(typeof(AuditPhrase), "phrase")]
public abstract record AuditArg
{
    internal abstract string Write(AuditLanguage language);
}

/// <summary>An amount in its currency, written the reader's way.</summary>
public sealed record AuditMoney(decimal Amount, string Currency) : AuditArg
{
    internal override string Write(AuditLanguage language) => language.Money(Amount, Currency);
}

/// <summary>An instant, written in the reader's time zone.</summary>
public sealed record AuditInstant(DateTimeOffset At) : AuditArg
{
    internal override string Write(AuditLanguage language) => language.Instant(At);
}

/// <summary>Text shown as it was given: a title, a provider's reference, the reason an admin typed.</summary>
public sealed record AuditPlain(string Text) : AuditArg
{
    internal override string Write(AuditLanguage language) => Text;
}

/// <summary>A phrase of the app's own, translated like the sentence around it.</summary>
public sealed record AuditPhrase(string Template) : AuditArg
{
    internal override string Write(AuditLanguage language) => language.Template(Template);
}

/// <summary>How a reader's language writes a step: its words for each template, money and instants.</summary>
public abstract class AuditLanguage
{
    /// <summary>The English of the stored detail: templates as they are, invariant money, instants in UTC.</summary>
    public static readonly AuditLanguage English = new InvariantEnglish();

    public abstract CultureInfo Culture { get; }

    public abstract string Template(string english);

    public abstract string Money(decimal amount, string currency);

    public abstract string Instant(DateTimeOffset instant);

    private sealed class InvariantEnglish : AuditLanguage
    {
        public override CultureInfo Culture => CultureInfo.InvariantCulture;

        public override string Template(string english) => english;

        public override string Money(decimal amount, string currency) => Ticketing.Domain.Common.Money.Format(amount, currency);

        public override string Instant(DateTimeOffset instant) => Email.EmailLayout.FormatInstant(instant);
    }
}

/// <summary>
/// Every template and phrase a step is written with: the keys of their translations, which a test
/// checks against the UI's German resource.
/// </summary>
public static class AuditTemplates
{
    public const string Listed = "Listed “{0}” at {1}";
    public const string Edited = "Now “{0}” at {1}";
    public const string FileAttached = "Ticket file attached";
    public const string FileReplaced = "Ticket file replaced";
    public const string FileRemoved = "Ticket file removed";
    public const string FileTakenOffAfterRefund = "Ticket file taken off with the refund: the refunded buyer could download it; the seller is asked for a fresh one";
    public const string Withdrawn = "Taken off the market";
    public const string Reserved = "Reserved at {0} until {1}";
    public const string PaymentStarted = "Payment started";
    public const string AwaitingProvider = "Waiting for the provider to confirm the payment ({0})";
    public const string PaymentDeclined = "The payment took no money (declined, or the provider could not complete it); the order can be paid again";
    public const string Paid = "Paid; the ticket is sold";
    public const string PaidAmount = "Paid {0} ({1}); the ticket is sold";
    public const string Expired = "Not paid in time; the ticket is back on sale";
    public const string CancelledByAdmin = "Cancelled by an admin; the ticket is back on sale";
    public const string CancelledByBuyer = "Cancelled by the buyer; the ticket is back on sale";
    public const string RefundedRelisted = "{0}; the ticket is back on sale";
    public const string RefundedWithdrawn = "{0}; the ticket is withdrawn";
    public const string RefundedAtProvider = RefundOrderOnPaymentReversed.Reason;
    public const string PaymentRefused = "{0} arrived ({1}) but {2}; it is owed back";
    public const string RefusedOrderCancelled = "the order had been cancelled";
    public const string RefusedTicketGone = "the order had expired and its ticket was sold again";
    public const string RefusedAlreadyPaid = "the order was already paid";
    public const string RefusedAmountMismatch = "the amount or currency did not match the order";
    public const string RefusedOther = "the order could not take it";
    public const string MoneyReturned = "{0} returned to the buyer ({1})";
    public const string Disputed = "The buyer's bank disputes the charge ({0})";
    public const string DisputedWithReason = "The buyer's bank disputes the charge ({0}): {1}";

    public static IReadOnlyList<string> All { get; } =
        [.. typeof(AuditTemplates).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];
}
