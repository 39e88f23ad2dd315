using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// An e-mail queued for delivery, and the record that it was sent. Written in the same transaction
/// as the outbox delivery of the event it tells about, so that each event queues its e-mail once;
/// <see cref="Key"/> (unique) names what it is about. <see cref="ClaimableRow.Attempts"/> counts the
/// tries that the server answered with an error (not outages).
/// </summary>
public sealed class EmailMessage : ClaimableRow<Guid>
{
    /// <summary>What the e-mail is about and for whom, e.g. <c>OrderCreated:{orderId}:0:buyer</c>.</summary>
    public required string Key { get; set; }

    public required string Recipient { get; set; }

    public required string Subject { get; set; }

    public required string TextBody { get; set; }

    public required string HtmlBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When to try (again); null once sent or refused for good.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The server refused the recipient for good (e.g. 550 no such mailbox).</summary>
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>Stable across retries, so that a mail client shows a message sent twice as one.</summary>
    public string MessageId => $"{Id:N}@ticketing";
}
