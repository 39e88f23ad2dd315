using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Infrastructure.Persistence;

/// <summary>Creates or migrates the schema and ensures the admin account, at start-up.</summary>
public sealed partial class DatabaseInitializer(
    TicketingDbContext db,
    DatabaseSettings settings,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger)
{
    public const string DefaultAdminEmail = "admin@ticketing.local";

    /// <summary>The documented development password; outside Development the app refuses to start with it.</summary>
    public const string DefaultAdminPassword = "ChangeMe-Admin-2026";

    /// <summary>
    /// Marks the account this initializer created for <c>Admin:Email</c>. Only that account is ever
    /// made Admin: someone who signed up with the address first (before the operator chose it, or
    /// while it still had its default) must not be handed the role on the next restart.
    /// </summary>
    public const string CreatedByInitializerClaim = "ticketing:created-by-initializer";

    private const int SeedAttempts = 5;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers proceed while one writer commits; the setting is stored in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        // EF Core takes a database-wide lock around migrations, so instances starting together wait their turn.
        await db.Database.MigrateAsync(cancellationToken);

        // Instances starting together on an empty database race to create the role and the account:
        // whichever loses sees the winner's rows on the next attempt.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureAdminAsync();
                return;
            }
            catch (Exception ex) when (attempt < SeedAttempts && ex is DbUpdateException or DbException)
            {
                LogSeedRaceLost(attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
            }
        }
    }

    private async Task EnsureAdminAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var role in new[] { Roles.Admin, Roles.Scanner })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                ThrowIfFailed(await roles.CreateAsync(new IdentityRole<Guid>(role)), $"create the {role} role");
            }
        }

        var email = configuration["Admin:Email"] is { Length: > 0 } e ? e : DefaultAdminEmail;
        var admin = await users.FindByEmailAsync(email);
        if (admin is null)
        {
            admin = await CreateAdminAsync(scope.ServiceProvider, users, email);
        }
        else if (!(await users.GetClaimsAsync(admin)).Any(c => c.Type == CreatedByInitializerClaim))
        {
            if (!await users.IsInRoleAsync(admin, Roles.Admin))
            {
                LogForeignAccountNotPromoted(email);
            }

            return;
        }

        // The role goes to a confirmed address only. The account created here is confirmed by the
        // operator's configuration; one whose confirmation was taken back is not promoted again.
        if (!admin.EmailConfirmed)
        {
            LogUnconfirmedNotPromoted(email);
            return;
        }

        if (!await users.IsInRoleAsync(admin, Roles.Admin))
        {
            ThrowIfFailed(await users.AddToRoleAsync(admin, Roles.Admin), "make the admin account an Admin");
        }
    }

    /// <summary>The account and its marker in one transaction: a crash between them must not leave an unmarked admin.</summary>
    private async Task<AppUser> CreateAdminAsync(IServiceProvider services, UserManager<AppUser> users, string email)
    {
        var password = configuration["Admin:Password"] is { Length: > 0 } p ? p : DefaultAdminPassword;
        var context = services.GetRequiredService<TicketingDbContext>();
        await using var transaction = await context.Database.BeginTransactionAsync();
        var admin = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        ThrowIfFailed(await users.CreateAsync(admin, password), "create the admin account");
        ThrowIfFailed(await users.AddClaimAsync(admin, new Claim(CreatedByInitializerClaim, "admin")), "mark the admin account");
        ThrowIfFailed(await users.AddToRoleAsync(admin, Roles.Admin), "make the admin account an Admin");
        await transaction.CommitAsync();
        LogAdminCreated(email);
        return admin;
    }

    private static void ThrowIfFailed(IdentityResult result, string what)
    {
        if (result.Succeeded)
        {
            return;
        }

        // A duplicate means another instance got there first: retried as a lost race.
        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateRoleName) or nameof(IdentityErrorDescriber.DuplicateUserName)
            or nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.UserAlreadyInRole) or nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw new DbUpdateException($"Could not {what}: another instance did it first.");
        }

        throw new InvalidOperationException($"Could not {what}: " + string.Join("; ", result.Errors.Select(x => x.Description)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin account {Email}")]
    private partial void LogAdminCreated(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin:Email {Email} belongs to an account that someone else signed up; it is not made Admin. Set Admin:Email to an address nobody has used yet")]
    private partial void LogForeignAccountNotPromoted(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin:Email {Email} is not a confirmed address; it is not made Admin")]
    private partial void LogUnconfirmedNotPromoted(string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another instance was seeding the admin account at the same time (attempt {Attempt}); checking again")]
    private partial void LogSeedRaceLost(int attempt);
}
