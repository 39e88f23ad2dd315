namespace Ticketing.Infrastructure.Email;

/// <summary>
/// The one way into the mail: queues an e-mail on the scope's context, to be committed by the
/// caller's next save (an outbox handler's changes are saved with its delivery record, so an event
/// queues its e-mail exactly once). <see cref="EmailDelivery"/> sends it after the commit.
/// </summary>
public sealed class EmailQueue(TicketingDbContext db, EmailSignal signal, TimeProvider clock)
{
    private bool _wakesDelivery;

    /// <summary>Queues <paramref name="email"/> unless an e-mail with <paramref name="key"/> was queued already.</summary>
    /// <returns>False when the key was taken: that e-mail exists.</returns>
    public async Task<bool> EnqueueAsync(string key, OutgoingEmail email, CancellationToken cancellationToken)
    {
        var messages = db.Set<EmailMessage>();
        if (messages.Local.Any(m => m.Key == key) || await messages.AnyAsync(m => m.Key == key, cancellationToken))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        messages.Add(new EmailMessage
        {
            Id = Guid.NewGuid(),
            Key = key,
            Recipient = email.To,
            Subject = email.Subject,
            TextBody = email.Text,
            HtmlBody = email.Html,
            CreatedAt = now,
            DueAt = now,
        });

        if (!_wakesDelivery)
        {
            // Inside an explicit transaction this wakes the delivery early; it then finds the row on
            // its next poll.
            db.SavedChanges += (_, _) => signal.Notify();
            _wakesDelivery = true;
        }

        return true;
    }
}
