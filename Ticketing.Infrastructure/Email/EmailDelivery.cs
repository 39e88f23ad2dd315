using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Ticketing.Infrastructure.Email;

/// <summary>
/// Sends the queued e-mails, each once: a message is claimed, handed to the server, and marked sent
/// in its own commit. It runs on its own loop, apart from the outbox dispatcher, so a slow or absent
/// mail server holds back nothing but e-mails. While the server cannot be reached the loop waits,
/// doubling the wait up to <see cref="EmailOptions.MaxRetryDelay"/>, and the messages keep their
/// place; a message the server refuses is tried again on its own back-off, or given up when the
/// recipient is refused for good. Several instances may run it: a batch is claimed with a
/// conditional update first.
/// </summary>
public sealed partial class EmailDelivery(
    IDbContextFactory<TicketingDbContext> contexts,
    IEmailTransport transport,
    EmailSignal signal,
    TimeProvider clock,
    IOptions<EmailOptions> options,
    ILogger<EmailDelivery> logger) : BackgroundService
{
    private const int BatchSize = 20;

    /// <summary>How often to look for work nobody signalled (retries, another instance's e-mails).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);


    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private int _outages;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogTransport(transport.Name);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) > 0)
                {
                }

                _outages = 0;
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (EmailServerUnreachableException ex)
            {
                // New e-mails do not cut the wait short: they would only find the server down again.
                _outages++;
                var wait = RetryDelay(_outages);
                LogServerUnreachable(transport.Name, _outages, wait.TotalSeconds, ex.InnerException?.Message ?? ex.Message);
                await DelayAsync(wait, stoppingToken);
            }
            catch (Exception ex)
            {
                LogDeliveryFailed(ex);
                await DelayAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Opens a session with the server when e-mails are due, then claims one batch and sends it;
    /// returns how many it claimed. Nothing is claimed until the server has answered, so a sender
    /// that dies while it waits for a hung or absent server strands no e-mail.
    /// </summary>
    /// <exception cref="EmailServerUnreachableException">The server could not be reached; nothing was claimed, or the unsent e-mails were released.</exception>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (!await AnyDueAsync(cancellationToken))
        {
            return 0;
        }

        IEmailSession session;
        try
        {
            session = await transport.OpenAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            throw cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : new EmailServerUnreachableException(ex);
        }

        await using (session)
        {
            var claimed = await ClaimAsync(cancellationToken);
            var claimedUntil = clock.GetUtcNow() + ClaimDuration;
            for (var i = 0; i < claimed.Count; i++)
            {
                var message = claimed[i];
                if (claimedUntil - clock.GetUtcNow() < 2 * Timeout)
                {
                    // A slow server: keep the rest of the batch ours, so no other instance sends them meanwhile.
                    claimedUntil = await ExtendClaimAsync(claimed[i..].ConvertAll(m => m.Id));
                }

                if (ToMime(message) is not { } mime)
                {
                    await GiveUpAsync(message, "The recipient is not a valid e-mail address.", cancellationToken);
                    continue;
                }

                try
                {
                    await session.SendAsync(mime, cancellationToken);
                }
                catch (EmailRejectedException ex)
                {
                    await RefusedAsync(message, ex, cancellationToken);
                    continue;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    await ReleaseAsync(claimed[i..].ConvertAll(m => m.Id));
                    throw new EmailServerUnreachableException(ex);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: the rest go to whoever runs next, at once.
                    await ReleaseAsync(claimed[i..].ConvertAll(m => m.Id));
                    throw;
                }

                // Its own commit, at once: a crash from here on does not send it again.
                await UpdateAsync(message.Id, s => s
                    .SetProperty(m => m.SentAt, clock.GetUtcNow())
                    .SetProperty(m => m.DueAt, (DateTimeOffset?)null)
                    .SetProperty(m => m.LockedBy, (string?)null)
                    .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null));
                LogSent(message.Id, message.Key);
            }

            return claimed.Count;
        }
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: 1 s, 2 s, 4 s… up to the maximum.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var seconds = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, options.Value.MaxRetryDelay.TotalSeconds));
    }

    /// <summary>How long one step with the server may take.</summary>
    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, options.Value.Smtp.TimeoutSeconds));

    /// <summary>
    /// How long a claimed batch stays this instance's. Short enough that the e-mails of an instance
    /// that died mid-batch go out within minutes; a live sender renews it while a slow server answers.
    /// </summary>
    private TimeSpan ClaimDuration => TimeSpan.FromSeconds(Math.Max(60, 4 * Timeout.TotalSeconds));

    private async Task<DateTimeOffset> ExtendClaimAsync(List<Guid> ids)
    {
        var until = clock.GetUtcNow() + ClaimDuration;
        await using var db = await contexts.CreateDbContextAsync();
        await db.Set<EmailMessage>()
            .Where(m => ids.Contains(m.Id) && m.LockedBy == _instance)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, until), CancellationToken.None);
        return until;
    }

    private async Task<bool> AnyDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Due(db, clock.GetUtcNow()).AnyAsync(cancellationToken);
    }

    private async Task<List<EmailMessage>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var claimed = await RowClaims.ClaimAsync<EmailMessage, Guid>(
            Due(db, now),
            db.Set<EmailMessage>().Where(m => m.DueAt != null),
            messages => messages.OrderBy(m => m.DueAt),
            BatchSize,
            _instance,
            now + ClaimDuration,
            cancellationToken);
        return await DropOrphansAsync(db, claimed, cancellationToken);
    }

    /// <summary>
    /// Every e-mail goes to an account's address. One whose address no account holds any more was
    /// queued in the moment its account was deleted (its handler read the address just before the
    /// deletion committed, and saved just after): it is deleted unsent, so the address does not
    /// outlive the account (docs/decisions/0020).
    /// </summary>
    private async Task<List<EmailMessage>> DropOrphansAsync(TicketingDbContext db, List<EmailMessage> claimed, CancellationToken cancellationToken)
    {
        var addresses = claimed.Select(m => Normalized(m.Recipient)).Distinct().ToList();
        var held = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail != null && addresses.Contains(u.NormalizedEmail))
            .Select(u => u.NormalizedEmail!)
            .ToListAsync(cancellationToken);
        var orphans = claimed.Where(m => !held.Contains(Normalized(m.Recipient))).Select(m => m.Id).ToList();
        if (orphans.Count == 0)
        {
            return claimed;
        }

        await db.Set<EmailMessage>()
            .Where(m => orphans.Contains(m.Id) && m.LockedBy == _instance)
            .ExecuteDeleteAsync(CancellationToken.None);
        LogDroppedOrphans(orphans.Count);
        return claimed.Where(m => !orphans.Contains(m.Id)).ToList();
    }

    /// <summary>An address as Identity's default normalizer stores it in <c>NormalizedEmail</c>.</summary>
    private static string Normalized(string address) => address.Normalize().ToUpperInvariant();

    private static IQueryable<EmailMessage> Due(TicketingDbContext db, DateTimeOffset now) =>
        db.Set<EmailMessage>().Where(m => m.DueAt != null && m.DueAt <= now && (m.LockedUntil == null || m.LockedUntil < now));

    private MimeMessage? ToMime(EmailMessage message)
    {
        if (!MailboxAddress.TryParse(message.Recipient, out var to) || !MailboxAddress.TryParse(options.Value.Smtp.From, out var from))
        {
            return null;
        }

        var mime = new MimeMessage
        {
            MessageId = message.MessageId,
            Date = message.CreatedAt,
            Subject = message.Subject,
            Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody(),
        };
        mime.From.Add(from);
        mime.To.Add(to);
        return mime;
    }

    /// <summary>The server refused this message: try it again later, on its own back-off, unless it never can succeed.</summary>
    private async Task RefusedAsync(EmailMessage message, EmailRejectedException ex, CancellationToken cancellationToken)
    {
        if (ex.Permanent)
        {
            await GiveUpAsync(message, ex.Message, cancellationToken);
            return;
        }

        var attempts = message.Attempts + 1;
        var retryAt = clock.GetUtcNow() + RetryDelay(attempts);
        LogRefused(message.Id, message.Key, attempts, ex.Message);
        await UpdateAsync(message.Id, s => s
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.LastError, ClaimableRow.ErrorText(ex.Message))
            .SetProperty(m => m.DueAt, retryAt)
            .SetProperty(m => m.LockedBy, (string?)null)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null));
    }

    private async Task GiveUpAsync(EmailMessage message, string reason, CancellationToken cancellationToken)
    {
        LogGivenUp(message.Id, message.Key, message.Recipient, reason);
        await UpdateAsync(message.Id, s => s
            .SetProperty(m => m.Attempts, message.Attempts + 1)
            .SetProperty(m => m.LastError, ClaimableRow.ErrorText(reason))
            .SetProperty(m => m.FailedAt, clock.GetUtcNow())
            .SetProperty(m => m.DueAt, (DateTimeOffset?)null)
            .SetProperty(m => m.LockedBy, (string?)null)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null));
    }

    /// <summary>Hands unsent messages back, due as they were: an outage is not their fault.</summary>
    private async Task ReleaseAsync(List<Guid> ids)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.Set<EmailMessage>()
            .Where(m => ids.Contains(m.Id) && m.LockedBy == _instance)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    private async Task UpdateAsync(Guid id, Action<UpdateSettersBuilder<EmailMessage>> setters)
    {
        await using var db = await contexts.CreateDbContextAsync();

        // Not cancellable: the server has answered, and its answer must be on record.
        await db.Set<EmailMessage>().Where(m => m.Id == id).ExecuteUpdateAsync(setters, CancellationToken.None);
    }

    private Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        Task.Delay(wait, clock, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mails go to {Transport}")]
    private partial void LogTransport(string transport);

    [LoggerMessage(Level = LogLevel.Debug, Message = "E-mail {EmailId} ({Key}) sent")]
    private partial void LogSent(Guid emailId, string key);

    // The reason only: an outage repeats the same stack trace on every try.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail server {Transport} unreachable ({Outages} tries in a row): {Reason}; e-mails wait, next try in {Seconds} s")]
    private partial void LogServerUnreachable(string transport, int outages, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "E-mail {EmailId} ({Key}) refused on try {Attempts}: {Reason}; it will be tried again")]
    private partial void LogRefused(Guid emailId, string key, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "E-mail {EmailId} ({Key}) to {Recipient} given up: {Reason}")]
    private partial void LogGivenUp(Guid emailId, string key, string recipient, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} queued e-mail(s) to an address no account holds any more deleted unsent")]
    private partial void LogDroppedOrphans(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "E-mail delivery pass failed")]
    private partial void LogDeliveryFailed(Exception ex);
}

/// <summary>The mail server could not be reached (or dropped the connection); nothing was lost.</summary>
public sealed class EmailServerUnreachableException(Exception inner) : Exception("The mail server could not be reached.", inner);
