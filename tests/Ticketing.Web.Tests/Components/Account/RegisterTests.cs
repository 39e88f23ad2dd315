using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Components.Account;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Account;

public sealed class RegisterTests() : UiTestContext(interactive: false)
{
    [Fact]
    public async Task NewAccount_IsCreatedSignedInAndSentOn()
    {
        Navigation.NavigateTo("/account/register?returnUrl=%2Ftickets%2Fnew");
        var cut = Context.Render<Register>();

        Submit(cut, "  grace@example.com ", "correct-horse-battery", "correct-horse-battery");

        cut.WaitForAssertion(() => Assert.EndsWith("/tickets/new", Navigation.Uri));
        Assert.Contains("ticketing.auth=", Http.Response.Headers.SetCookie.ToString());
        await using var scope = Context.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("GRACE@example.com");
        Assert.Equal("grace@example.com", user!.UserName);
    }

    [Fact]
    public async Task EmailInUse_IsSaidOnce_InAnyCase()
    {
        await CreateUserAsync("ada@example.com");
        var cut = Context.Render<Register>();

        Submit(cut, "ADA@Example.com", "correct-horse-battery", "correct-horse-battery");

        Assert.Equal("An account with this email already exists. Sign in instead?", Text.Of(cut.Find("[data-state=error]")));
        Assert.False(Http.Response.Headers.ContainsKey("Set-Cookie"));
    }

    [Theory]
    [InlineData("not-an-email", "correct-horse-battery", "correct-horse-battery", "Enter a valid email address")]
    [InlineData("a@example.com", "short", "short", "Password must be between 8 and 128 characters")]
    [InlineData("a@example.com", "correct-horse-battery", "correct-horse-batter", "The passwords don't match")]
    public void BadInput_IsExplained(string email, string password, string confirm, string message)
    {
        var cut = Context.Render<Register>();

        Submit(cut, email, password, confirm);

        Assert.Equal([message], cut.FindAll(".auth-field__error").Select(Text.Of));
    }

    [Fact]
    public void PasswordOver128Characters_IsRefused()
    {
        var cut = Context.Render<Register>();
        var password = new string('p', 129);

        Submit(cut, "a@example.com", password, password);

        Assert.Equal(["Password must be between 8 and 128 characters"], cut.FindAll(".auth-field__error").Select(Text.Of));
    }

    private static void Submit(IRenderedComponent<Register> cut, string email, string password, string confirm)
    {
        cut.Find("#register-email").Change(email);
        cut.Find("#register-password").Change(password);
        cut.Find("#register-confirm").Change(confirm);
        cut.Find("form[data-form=register]").Submit();
    }
}
