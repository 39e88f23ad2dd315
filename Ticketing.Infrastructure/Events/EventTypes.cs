using System.Collections.Frozen;
using System.Text.Json;

namespace Ticketing.Infrastructure.Events;

/// <summary>Names every domain event for the outbox, and turns stored payloads back into events.</summary>
public static class EventTypes
{
    private static readonly FrozenDictionary<string, Type> ByName = typeof(IDomainEvent).Assembly
        .GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.Name);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string NameOf(IDomainEvent domainEvent) => domainEvent.GetType().Name;

    public static string Serialize(IDomainEvent domainEvent) => JsonSerializer.Serialize(domainEvent, domainEvent.GetType(), Json);

    public static IDomainEvent? Deserialize(string type, string payload) =>
        ByName.TryGetValue(type, out var clrType) ? (IDomainEvent?)JsonSerializer.Deserialize(payload, clrType, Json) : null;

    public static OutboxMessage ToOutboxMessage(IDomainEvent domainEvent) => new()
    {
        // Time-ordered, so that its unique index grows at its end: a random id lands anywhere in the
        // index, and an expiry set's thousands of events rewrote most of its pages (docs/decisions/0008).
        EventId = Guid.CreateVersion7(),
        Type = NameOf(domainEvent),
        Payload = Serialize(domainEvent),
        AggregateId = domainEvent.AggregateId,
        AggregateVersion = domainEvent.Version,
        OccurredAt = domainEvent.OccurredAt,
    };
}
