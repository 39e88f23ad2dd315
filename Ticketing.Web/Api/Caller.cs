using System.Security.Claims;
using Ticketing.Domain.Common;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Api;

internal static class Caller
{
    /// <summary>The signed-in user as the use cases know them: Identity's user id and the Admin role.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? new Actor(id, user.IsInRole(Roles.Admin))
            : throw new AccessDeniedException();

    /// <summary>A malformed id in a URL names nothing, so it is a 404 like an unknown one.</summary>
    public static Guid ParseRouteId(string id, string notFoundMessage) =>
        Guid.TryParse(id, out var value) ? value : throw new NotFoundException(notFoundMessage);
}
