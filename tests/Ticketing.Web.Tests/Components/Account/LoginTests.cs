using Bunit;
using Ticketing.Web.Components.Account;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Account;

public sealed class LoginTests() : UiTestContext(interactive: false)
{
    [Fact]
    public async Task RightPassword_SetsTheCookieAndGoesToTheLocalReturnUrl()
    {
        await CreateUserAsync("ada@example.com");
        Navigation.NavigateTo("/account/login?returnUrl=%2Ftickets%2Fnew");
        var cut = Context.Render<Login>();

        Submit(cut, "ADA@example.com", "correct-horse-battery");

        cut.WaitForAssertion(() => Assert.EndsWith("/tickets/new", Navigation.Uri));
        Assert.Contains("ticketing.auth=", Http.Response.Headers.SetCookie.ToString());
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    public async Task ForeignReturnUrl_IsIgnored(string returnUrl)
    {
        await CreateUserAsync("ada@example.com");
        Navigation.NavigateTo($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        var cut = Context.Render<Login>();

        Submit(cut, "ada@example.com", "correct-horse-battery");

        cut.WaitForAssertion(() => Assert.Equal("http://localhost/", Navigation.Uri));
    }

    [Fact]
    public async Task WrongPassword_AndUnknownEmail_GetTheSameMessage()
    {
        await CreateUserAsync("ada@example.com");
        var cut = Context.Render<Login>();

        Submit(cut, "ada@example.com", "wrong-password");
        var wrongPassword = Text.Of(cut.Find("[data-state=error]"));
        Submit(cut, "nobody@example.com", "wrong-password");

        Assert.Equal("Invalid email or password", wrongPassword);
        Assert.Equal("Invalid email or password", Text.Of(cut.Find("[data-state=error]")));
        Assert.False(Http.Response.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal(string.Empty, cut.Find("#login-password").GetAttribute("value") ?? string.Empty);
    }

    [Fact]
    public async Task FiveFailures_LockTheAccount_EvenForTheRightPassword()
    {
        await CreateUserAsync("ada@example.com");
        var cut = Context.Render<Login>();
        for (var i = 0; i < 5; i++)
        {
            Submit(cut, "ada@example.com", "wrong-password");
        }

        Submit(cut, "ada@example.com", "correct-horse-battery");

        Assert.Equal("Account locked for 5 minutes after repeated failures", Text.Of(cut.Find("[data-state=error]")));
        Assert.EndsWith("/", Navigation.Uri);
    }

    [Fact]
    public void MissingFields_AreRequired()
    {
        var cut = Context.Render<Login>();

        Submit(cut, "", "");

        Assert.Equal(["Email is required", "Password is required"], cut.FindAll(".auth-field__error").Select(Text.Of));
    }

    [Fact]
    public async Task GermanReader_GetsTheFormTheMissingFieldsAndTheWrongPasswordInGerman()
    {
        using var german = new CultureScope("de");
        await CreateUserAsync("ada@example.com");
        var cut = Context.Render<Login>();

        Assert.Equal("Anmelden", Text.Of(cut.Find("[data-action=submit-login]")));
        Assert.Equal("Passwort vergessen?", Text.Of(cut.Find("[data-action=go-forgot-password]")));

        Submit(cut, "", "");
        Assert.Equal(["Gib deine E-Mail-Adresse ein", "Gib dein Passwort ein"], cut.FindAll(".auth-field__error").Select(Text.Of));

        Submit(cut, "ada@example.com", "wrong-password");
        Assert.Equal("E-Mail oder Passwort ist falsch", Text.Of(cut.Find("[data-state=error]")));
    }

    [Fact]
    public void SignedInVisitor_IsToldWhoTheyAre()
    {
        SignInNewUser("ada");

        var cut = Context.Render<Login>();

        Assert.Contains("You're signed in as ada@example.com.", Text.Of(cut.Find("[data-state=success]")));
    }

    [Fact]
    public void Form_PostsWithItsNameAndLinksToSignUp()
    {
        Navigation.NavigateTo("/account/login?returnUrl=%2Fmy%2Flistings");

        var cut = Context.Render<Login>();

        Assert.Equal("post", cut.Find("form[data-form=login]").GetAttribute("method"));
        Assert.Equal("/account/register?returnUrl=%2Fmy%2Flistings", cut.Find("[data-action=go-register]").GetAttribute("href"));
    }

    private static void Submit(IRenderedComponent<Login> cut, string email, string password)
    {
        cut.Find("#login-email").Change(email);
        cut.Find("#login-password").Change(password);
        cut.Find("form[data-form=login]").Submit();
    }
}
