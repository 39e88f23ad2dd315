using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Components.Account;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Account;

public sealed class ManageTests() : UiTestContext(interactive: false)
{
    [Fact]
    public async Task Manage_ShowsTheEmailAndRole()
    {
        var id = await CreateUserAsync("ada@example.com");
        SignIn(id, "ada@example.com");

        var cut = Context.Render<Manage>();

        Assert.Equal("ada@example.com", Text.Of(cut.Find("[data-field=email]")));
        Assert.Equal("Member", Text.Of(cut.Find("[data-field=role]")));
    }

    [Fact]
    public async Task ChangePassword_WithTheRightCurrentPassword_ChangesIt()
    {
        var id = await CreateUserAsync("ada@example.com");
        SignIn(id, "ada@example.com");
        var cut = Context.Render<Manage>();

        Submit(cut, "correct-horse-battery", "a-brand-new-passphrase", "a-brand-new-passphrase");

        cut.WaitForAssertion(() => Assert.Equal("Your password has been changed.", Text.Of(cut.Find("[data-state=success]"))));
        await using var scope = Context.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(id.ToString()))!, "a-brand-new-passphrase"));
    }

    [Fact]
    public async Task ChangePassword_WithAWrongCurrentPassword_IsRefused()
    {
        var id = await CreateUserAsync("ada@example.com");
        SignIn(id, "ada@example.com");
        var cut = Context.Render<Manage>();

        Submit(cut, "not-my-password", "a-brand-new-passphrase", "a-brand-new-passphrase");

        cut.WaitForAssertion(() => Assert.Equal("The current password is not right.", Text.Of(cut.Find("[data-state=error]"))));
    }

    [Fact]
    public async Task SignOut_PostsToTheLogoutPage()
    {
        var id = await CreateUserAsync("ada@example.com");
        SignIn(id, "ada@example.com");

        var cut = Context.Render<Manage>();

        var form = cut.Find("[data-action=manage-sign-out]").Closest("form")!;
        Assert.Equal("/account/logout", form.GetAttribute("action"));
        Assert.Equal("logout", form.QuerySelector("input[name=_handler]")!.GetAttribute("value"));
    }

    private static void Submit(IRenderedComponent<Manage> cut, string current, string next, string confirm)
    {
        cut.Find("#current-password").Change(current);
        cut.Find("#new-password").Change(next);
        cut.Find("#confirm-password").Change(confirm);
        cut.Find("form[data-form=change-password]").Submit();
    }
}
