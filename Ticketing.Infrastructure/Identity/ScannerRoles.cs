using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Infrastructure.Identity;

public sealed record ScannerView(Guid UserId, string Email);

/// <summary>
/// Admins give and take the <see cref="Roles.Scanner"/> role. A grant reaches the holder's signed-in
/// sessions when their cookie is next revalidated (<c>Identity:RevalidationSeconds</c>), or at their
/// next sign-in. A revoke takes effect at once: it renews the account's security stamp, which signs
/// the account out everywhere (its open door pages and cookies with them), so someone whose access
/// was taken away cannot go on admitting people until the next revalidation.
/// </summary>
[Scoped]
public sealed class ScannerRoles(IServiceScopeFactory scopes)
{
    /// <summary>Door staff are few; the list is capped all the same.</summary>
    public const int MaxListed = 200;

    public async Task<IReadOnlyList<ScannerView>> ListAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var scanners = await users.GetUsersInRoleAsync(Roles.Scanner);
        return scanners.Select(u => new ScannerView(u.Id, u.Email ?? string.Empty))
            .OrderBy(s => s.Email, StringComparer.OrdinalIgnoreCase)
            .Take(MaxListed)
            .ToList();
    }

    public async Task<ScannerView> GrantAsync(string? email)
    {
        var address = email?.Trim() ?? string.Empty;
        if (address.Length == 0)
        {
            throw new InvalidInputException("Email is required", "email");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(address) ?? throw new NotFoundException("No account has this email");
        if (!await users.IsInRoleAsync(user, Roles.Scanner))
        {
            Check(await users.AddToRoleAsync(user, Roles.Scanner));
        }

        return new ScannerView(user.Id, user.Email ?? address);
    }

    public async Task RevokeAsync(Guid userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException("No such account");
        if (await users.IsInRoleAsync(user, Roles.Scanner))
        {
            Check(await users.RemoveFromRoleAsync(user, Roles.Scanner));
            Check(await users.UpdateSecurityStampAsync(user));
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
