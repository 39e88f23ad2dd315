using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Components.Pages.Admin;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>The door-scanner panel of the admin dashboard, for a German reader: its refusals read German too.</summary>
public sealed class ScannerAccessTests : AdminPageTestContext
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task GrantingToAnUnknownEmail_InGerman_SaysSoInGerman()
    {
        using var german = new CultureScope("de");
        RenderProviders();
        var panel = Context.Render<ScannerAccess>();
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-scanners-empty]")), Slow);

        await panel.Find("input[data-field=scanner-email]").InputAsync(new() { Value = "nobody@example.com" });
        await panel.Find("[data-action=grant-scanner]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("Kein Konto hat diese E-Mail-Adresse", panel.Markup), Slow);
        Assert.DoesNotContain("No account", panel.Markup);
    }

    [Fact]
    public async Task TakingTheRoleFromAnAccountDeletedMeanwhile_InGerman_SaysSoInGerman()
    {
        using var german = new CultureScope("de");
        var doorEmail = "door@example.com";
        var doorId = await CreateUserAsync(doorEmail);
        await Service<ScannerRoles>().GrantAsync(doorEmail);
        var providers = RenderProviders();
        var panel = Context.Render<ScannerAccess>();
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find($"[data-scanner='{doorEmail}']")), Slow);

        await using (var scope = Context.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByIdAsync(doorId.ToString()))!)).Succeeded);
        }

        await panel.Find($"[data-scanner='{doorEmail}'] .mud-chip-close-button").ClickAsync(new());

        providers.WaitForAssertion(() => Assert.Contains("Dieses Konto gibt es nicht", providers.Markup), Slow);
        Assert.DoesNotContain("No such account", providers.Markup);
    }
}
