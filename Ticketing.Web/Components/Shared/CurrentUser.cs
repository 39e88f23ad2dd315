using System.Security.Claims;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Components.Shared;

/// <summary>Reads the signed-in user the way Identity's cookie describes them.</summary>
public static class CurrentUser
{
    /// <summary>The use cases' view of the user; null when anonymous or the id claim is unusable.</summary>
    public static Actor? ToActor(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? new Actor(id, user.IsInRole(Roles.Admin))
            : null;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name ?? "Account";
}
