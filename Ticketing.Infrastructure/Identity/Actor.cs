namespace Ticketing.Infrastructure.Identity;

/// <summary>Who is asking: the signed-in user's id and whether they hold the Admin role.</summary>
public sealed record Actor(Guid UserId, bool IsAdmin = false);
