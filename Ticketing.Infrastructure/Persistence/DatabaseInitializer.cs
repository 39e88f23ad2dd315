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
    IServiceProvider services,
    IConfiguration configuration,
    ILogger<DatabaseInitializer> logger)
{
    public const string DefaultAdminEmail = "admin@ticketing.local";
    public const string DefaultAdminPassword = "ChangeMe-Admin-2026";

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers proceed while one writer commits; the setting is stored in the file.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await db.Database.MigrateAsync(cancellationToken);
        await EnsureAdminAsync();
    }

    private async Task EnsureAdminAsync()
    {
        var roles = services.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (!await roles.RoleExistsAsync(Roles.Admin))
        {
            await roles.CreateAsync(new IdentityRole<Guid>(Roles.Admin));
        }

        var email = configuration["Admin:Email"] is { Length: > 0 } e ? e : DefaultAdminEmail;
        var password = configuration["Admin:Password"] is { Length: > 0 } p ? p : DefaultAdminPassword;
        var admin = await users.FindByEmailAsync(email);
        if (admin is null)
        {
            admin = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await users.CreateAsync(admin, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("Could not create the admin account: " + string.Join("; ", created.Errors.Select(x => x.Description)));
            }

            LogAdminCreated(email);
        }

        if (!await users.IsInRoleAsync(admin, Roles.Admin))
        {
            await users.AddToRoleAsync(admin, Roles.Admin);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the admin account {Email}")]
    private partial void LogAdminCreated(string email);
}
