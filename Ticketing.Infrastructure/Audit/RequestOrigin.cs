namespace Ticketing.Infrastructure.Audit;

/// <summary>
/// Who started the work being saved: the signed-in user of the request or page, or the payment
/// provider's webhook. Null for work nobody asked for at that moment (the expiry, the outbox).
/// </summary>
public sealed record RequestOrigin(Guid? UserId, bool IsAdmin, bool IsWebhook = false)
{
    public static readonly RequestOrigin Webhook = new(null, false, IsWebhook: true);
}

/// <summary>The web layer knows the request and the circuit; without it no save has an origin.</summary>
public interface IRequestOrigins
{
    RequestOrigin? Current { get; }
}

internal sealed class NoRequestOrigins : IRequestOrigins
{
    public RequestOrigin? Current => null;
}
