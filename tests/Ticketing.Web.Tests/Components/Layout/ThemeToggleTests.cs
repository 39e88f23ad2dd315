using Bunit;
using Ticketing.Web.Components.Layout;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Layout;

/// <summary>The theme toggle where the layout cannot re-theme the page: a live island on a statically rendered page.</summary>
public sealed class ThemeToggleOnAStaticPageTests : UiTestContext
{
    [Fact]
    public void Click_RemembersTheOtherThemeAndReloadsThePageInIt()
    {
        var browser = Context.JSInterop.SetupModule("./js/browser.js");
        Navigation.NavigateTo("/?q=jazz");
        var cut = Context.Render<ThemeToggle>();
        Assert.Equal("Switch to dark theme", cut.Find("[data-action=toggle-theme]").GetAttribute("aria-label"));

        cut.Find("[data-action=toggle-theme]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["ticketing.theme", "dark", 365], browser.VerifyInvoke("setCookie").Arguments));
        var reload = Assert.IsType<Bunit.TestDoubles.BunitNavigationManager>(Navigation).History.First();
        Assert.True(reload.Options.ForceLoad);
        Assert.EndsWith("/?q=jazz", reload.Uri);
    }
}

public sealed class ThemeToggleWhilePrerenderingTests() : UiTestContext(interactive: false)
{
    [Fact]
    public void ShowsTheThemeTheCookieChose()
    {
        Http.Request.Headers.Cookie = "ticketing.theme=dark";

        var cut = Context.Render<ThemeToggle>();

        Assert.Equal("Switch to light theme", cut.Find("[data-action=toggle-theme]").GetAttribute("aria-label"));
    }
}
