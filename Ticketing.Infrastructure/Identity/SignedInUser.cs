using System.Security.Claims;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// The one reader of the signed-in user, as Identity's cookie describes them, for the API, the pages
/// and the hub alike.
/// </summary>
public static class SignedInUser
{
    /// <summary>The Identity user id; null when anonymous or the id claim is unusable.</summary>
    public static Guid? UserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : null;

    /// <summary>The use cases' view of the user: the id and the Admin role; null when anonymous.</summary>
    public static Actor? ToActor(this ClaimsPrincipal user) =>
        user.UserId() is { } id ? new Actor(id, user.IsInRole(Roles.Admin)) : null;

    /// <summary>As <see cref="ToActor"/>, for a call only a signed-in user may make: anyone else is refused (401).</summary>
    public static Actor RequireActor(this ClaimsPrincipal user) =>
        user.ToActor() ?? throw new AccessDeniedException();

    public static string? Email(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.Email() ?? user.Identity?.Name ?? "Account";
}
