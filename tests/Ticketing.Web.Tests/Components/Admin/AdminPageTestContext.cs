using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>An admin page's test: signed in as the seeded admin, with a seller and a buyer to act for.</summary>
public abstract class AdminPageTestContext : UiTestContext
{
    protected Guid AdminId { get; private set; }

    protected Guid SellerId { get; private set; }

    protected Guid BuyerId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var scope = Context.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            AdminId = (await users.FindByEmailAsync(DatabaseInitializer.DefaultAdminEmail))!.Id;
        }

        SellerId = await CreateUserAsync("seller@example.com");
        BuyerId = await CreateUserAsync("buyer@example.com");
        SignIn(AdminId, DatabaseInitializer.DefaultAdminEmail, admin: true);
    }
}
