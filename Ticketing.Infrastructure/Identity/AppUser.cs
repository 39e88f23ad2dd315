using Microsoft.AspNetCore.Identity;

namespace Ticketing.Infrastructure.Identity;

public sealed class AppUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";

    /// <summary>Door staff: may open the scan page and admit e-tickets. Given by an admin.</summary>
    public const string Scanner = "Scanner";
}
