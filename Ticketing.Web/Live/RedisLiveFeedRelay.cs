using System.Text.Json;
using StackExchange.Redis;
using Ticketing.Web.Hubs;

namespace Ticketing.Web.Live;

/// <summary>
/// With several instances, relays the changes one instance commits to the Blazor circuits of all
/// the others through Redis pub/sub (the hub itself uses the SignalR Redis backplane). Each
/// instance ignores its own messages: it already published them locally.
/// </summary>
/// <remarks>
/// It also carries ended sessions (<see cref="SessionsEnded"/>). The hub needs no affinity, so a
/// sign-out or a password change on one instance may concern connections held by another: the
/// backplane routes messages but cannot end a connection on another instance, and these messages
/// are a few bytes on a channel every instance already reads. Best effort like every live push: with
/// Redis down, the other instances' connections of the session end at their cookie's expiry (or
/// when reconnecting after a new security stamp's check), not at once.
/// </remarks>
public sealed class RedisLiveFeedRelay(IConnectionMultiplexer redis, LiveFeed feed, SignedInConnections signedIn, ILogger<RedisLiveFeedRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("ticketing:live");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _instance = Guid.NewGuid().ToString("N");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        feed.TicketChanged += OnLocalTicketChange;
        feed.OrderChanged += OnLocalOrderChange;
        signedIn.Ended += OnLocalSessionsEnded;
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnRemote(message));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        feed.TicketChanged -= OnLocalTicketChange;
        feed.OrderChanged -= OnLocalOrderChange;
        signedIn.Ended -= OnLocalSessionsEnded;
        await redis.GetSubscriber().UnsubscribeAsync(Channel);
    }

    private void OnLocalTicketChange(TicketChange change)
    {
        if (!change.Relayed)
        {
            Send(new Envelope(_instance, change, null, null));
        }
    }

    private void OnLocalOrderChange(OrderChange change)
    {
        if (!change.Relayed)
        {
            Send(new Envelope(_instance, null, change, null));
        }
    }

    /// <summary>On the signing-out request's thread: a Redis that cannot take the message must not fail the sign-out.</summary>
    private void OnLocalSessionsEnded(SessionsEnded ended)
    {
        try
        {
            Send(new Envelope(_instance, null, null, ended));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not tell the other instances that sessions of user {UserId} ended ({By})", ended.UserId, ended.By);
        }
    }

    private void Send(Envelope envelope) =>
        redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(envelope, Json), CommandFlags.FireAndForget);

    private void OnRemote(RedisValue message)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(message.ToString(), Json);
            if (envelope is null || envelope.Instance == _instance)
            {
                return;
            }

            if (envelope.Ticket is { } ticket)
            {
                feed.Publish(ticket with { Relayed = true });
            }

            if (envelope.Order is { } order)
            {
                feed.Publish(order with { Relayed = true });
            }

            if (envelope.Sessions is { } sessions)
            {
                signedIn.ApplyRelayed(sessions);
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignored a malformed live-feed message");
        }
    }

    private sealed record Envelope(string Instance, TicketChange? Ticket, OrderChange? Order, SessionsEnded? Sessions);
}
