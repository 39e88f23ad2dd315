using System.Text.Json;
using StackExchange.Redis;

namespace Ticketing.Web.Live;

/// <summary>
/// With several instances, relays the changes one instance commits to the Blazor circuits of all
/// the others through Redis pub/sub (the hub itself uses the SignalR Redis backplane). Each
/// instance ignores its own messages: it already published them locally.
/// </summary>
public sealed class RedisLiveFeedRelay(IConnectionMultiplexer redis, LiveFeed feed, ILogger<RedisLiveFeedRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("ticketing:live");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _instance = Guid.NewGuid().ToString("N");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        feed.TicketChanged += OnLocalTicketChange;
        feed.OrderChanged += OnLocalOrderChange;
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => OnRemote(message));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        feed.TicketChanged -= OnLocalTicketChange;
        feed.OrderChanged -= OnLocalOrderChange;
        await redis.GetSubscriber().UnsubscribeAsync(Channel);
    }

    private void OnLocalTicketChange(TicketChange change)
    {
        if (!change.Relayed)
        {
            Send(new Envelope(_instance, change, null));
        }
    }

    private void OnLocalOrderChange(OrderChange change)
    {
        if (!change.Relayed)
        {
            Send(new Envelope(_instance, null, change));
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
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignored a malformed live-feed message");
        }
    }

    private sealed record Envelope(string Instance, TicketChange? Ticket, OrderChange? Order);
}
