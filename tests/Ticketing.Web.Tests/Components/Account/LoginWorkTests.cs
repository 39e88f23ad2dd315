using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Components.Account;
using Ticketing.Web.Tests.Components.Support;
using Ticketing.Web.Tests.Security;

namespace Ticketing.Web.Tests.Components.Account;

/// <summary>The sign-in form spends one password check on an unknown email, as on a wrong password.</summary>
public sealed class LoginWorkTests() : UiTestContext(interactive: false, replaceServices: s => s
    .AddSingleton(Checks)
    .AddScoped<IPasswordHasher<AppUser>, CountingPasswordHasher>())
{
    private static readonly CountingPasswordHasher.Tally Checks = new();

    [Fact]
    public async Task UnknownEmail_CostsOnePasswordCheck_LikeAWrongPassword()
    {
        await CreateUserAsync("ada@example.com");
        var cut = Context.Render<Login>();

        var before = Checks.Checks;
        Submit(cut, "ada@example.com", "wrong-password");
        var wrongPassword = Checks.Checks - before;
        before = Checks.Checks;
        Submit(cut, "nobody@example.com", "wrong-password");
        var unknownEmail = Checks.Checks - before;

        Assert.Equal(1, wrongPassword);
        Assert.Equal(wrongPassword, unknownEmail);
    }

    private static void Submit(IRenderedComponent<Login> cut, string email, string password)
    {
        cut.Find("#login-email").Change(email);
        cut.Find("#login-password").Change(password);
        cut.Find("form[data-form=login]").Submit();
    }
}
