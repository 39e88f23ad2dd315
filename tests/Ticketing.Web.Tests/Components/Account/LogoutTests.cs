using Bunit;
using Ticketing.Web.Components.Account;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Account;

public sealed class LogoutTests() : UiTestContext(interactive: false)
{
    [Fact]
    public void SignOut_ClearsTheCookieAndGoesHome()
    {
        SignInNewUser("ada");
        Navigation.NavigateTo("/account/logout");
        var cut = Context.Render<Logout>();

        cut.Find("form[data-form=logout]").Submit();

        cut.WaitForAssertion(() => Assert.Equal("http://localhost/", Navigation.Uri));
        Assert.Contains("ticketing.auth=;", Http.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public void AccessDenied_ExplainsAndOffersAWayOut()
    {
        var cut = Context.Render<AccessDenied>();

        Assert.NotNull(cut.Find("[data-state=access-denied]"));
        Assert.Contains("/account/login", cut.Markup);
    }
}
