using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Ticketing.Web.Components.Layout;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Layout;

public sealed class MainLayoutTests : UiTestContext
{
    [Fact]
    public void Anonymous_SeesSignInAndSignUp_AndNoAdminLink()
    {
        var cut = RenderLayout();

        Assert.NotNull(cut.Find("[data-action=sign-in]"));
        Assert.Equal("/account/register", cut.Find("[data-action=sign-up]").GetAttribute("href"));
        Assert.Equal(["browse", "sell", "listings", "orders"], NavKeys(cut));
        Assert.Empty(cut.FindAll("[data-user-email]"));
    }

    [Fact]
    public void SignInLink_ComesBackToTheCurrentPage()
    {
        Navigation.NavigateTo("/tickets/new");

        var cut = RenderLayout();

        Assert.Equal("/account/login?returnUrl=%2Ftickets%2Fnew", cut.Find("[data-action=sign-in]").GetAttribute("href"));
    }

    [Fact]
    public void SignedInUser_SeesTheirEmail_AndNoAdminLink()
    {
        SignInNewUser("ada");

        var cut = RenderLayout();

        Assert.Equal("ada@example.com", cut.Find("[data-user-email]").GetAttribute("data-user-email"));
        Assert.Empty(cut.FindAll("[data-action=sign-in]"));
        Assert.DoesNotContain("admin", NavKeys(cut));
    }

    [Fact]
    public void Admin_SeesTheAdminLink()
    {
        SignInNewUser("boss", admin: true);

        var cut = RenderLayout();

        Assert.Contains("admin", NavKeys(cut));
        Assert.Equal("/admin", cut.Find(".appbar-nav [data-nav=admin]").GetAttribute("href"));
    }

    [Fact]
    public void AccountMenu_SignsOutWithAnAntiforgeryPost()
    {
        SignInNewUser("ada");
        var cut = RenderLayout();

        cut.Find(".appbar-user__button").Click();

        var signOut = cut.WaitForElement(".menu-signout");
        Assert.Equal("submit", signOut.GetAttribute("type"));
        Assert.Equal("logout-form", signOut.GetAttribute("form"));
        Assert.Contains("Account", cut.Find("[data-nav=account]").TextContent);
        var form = cut.Find("form#logout-form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/account/logout", form.GetAttribute("action"));
        Assert.Equal("logout", form.QuerySelector("input[name=_handler]")!.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public void Drawer_OffersTheSameSectionsOnSmallScreens()
    {
        SignInNewUser("boss", admin: true);
        var cut = RenderLayout();

        cut.Find("[data-action=open-drawer]").Click();

        var links = cut.WaitForElements(".app-drawer [data-drawer-nav]");
        Assert.Equal(["browse", "sell", "listings", "orders", "scan", "admin"], links.Select(l => l.GetAttribute("data-drawer-nav")));
        Assert.NotNull(cut.Find("[data-action=drawer-sign-out]"));
    }

    [Fact]
    public void ThemeToggle_SwitchesToDarkAndRemembersIt()
    {
        var browser = Context.JSInterop.SetupModule("./js/browser.js");
        var cut = RenderLayout();
        Assert.Equal("light", cut.Find(".app-shell").GetAttribute("data-theme"));

        cut.Find("[data-action=toggle-theme]").Click();

        cut.WaitForAssertion(() => Assert.Equal("dark", cut.Find(".app-shell").GetAttribute("data-theme")));
        Assert.Equal("Switch to light theme", cut.Find("[data-action=toggle-theme]").GetAttribute("aria-label"));
        Assert.Equal(["ticketing.theme", "dark", 365], browser.VerifyInvoke("setCookie").Arguments);
    }

    [Fact]
    public void BrowserTimeZone_IsAppliedToTimesOnThePage()
    {
        var browser = Context.JSInterop.SetupModule("./js/browser.js");
        browser.Setup<string?>("timeZone").SetResult("Europe/Paris");

        var cut = RenderLayout(b =>
        {
            b.OpenComponent<LocalTime>(0);
            b.AddAttribute(1, nameof(LocalTime.Value), Start);
            b.CloseComponent();
        });

        cut.WaitForAssertion(() => Assert.Equal("13:00", cut.Find(".app-main time").TextContent));
        Assert.Equal(["ticketing.tz", "Europe/Paris", 365], browser.Invocations["setCookie"].Single().Arguments);
    }

    private IRenderedComponent<MainLayout> RenderLayout(RenderFragment? body = null) =>
        Context.Render<MainLayout>(p => p.Add(l => l.Body, body ?? (b => b.AddContent(0, "page"))));

    private static List<string?> NavKeys(IRenderedComponent<MainLayout> cut) =>
        cut.FindAll(".appbar-nav [data-nav]").Select(e => e.GetAttribute("data-nav")).ToList();
}

public sealed class StaticLayoutTests() : UiTestContext(interactive: false)
{
    [Fact]
    public void StaticPage_SignsOutWithAPlainButton_AndHasNoDrawerOrThemeToggle()
    {
        SignInNewUser("ada");

        var cut = Context.Render<MainLayout>(p => p.Add(l => l.Body, b => b.AddContent(0, "account page")));

        var signOut = cut.Find("[data-action=sign-out]");
        Assert.Equal("logout-form", signOut.GetAttribute("form"));
        Assert.Empty(cut.FindAll("[data-action=toggle-theme]"));
        Assert.Empty(cut.FindAll("[data-action=open-drawer]"));
        Assert.NotNull(cut.Find("details.static-menu"));
    }

    [Fact]
    public void StaticPage_OffersTheAccountMenuOfALivePage_WithSignOutInIt()
    {
        SignInNewUser("ada");

        var cut = Context.Render<MainLayout>(p => p.Add(l => l.Body, b => b.AddContent(0, "home page")));

        var menu = cut.Find(".appbar-user");
        Assert.Equal("ada@example.com", menu.GetAttribute("data-user-email"));
        Assert.Contains("ada@example.com", menu.QuerySelector(".appbar-user__button")!.TextContent);
        Assert.Equal(
            [("account", "/account/manage"), ("account-listings", "/my/listings"), ("account-orders", "/orders")],
            menu.QuerySelectorAll("a[data-nav]").Select(a => (a.GetAttribute("data-nav"), a.GetAttribute("href"))));
        Assert.Contains("Account", menu.QuerySelector("[data-nav=account]")!.TextContent);
        var signOut = Assert.Single(cut.FindAll("[data-action=sign-out]"));
        Assert.NotNull(signOut.Closest("details.appbar-user"));
        Assert.Equal("logout-form", signOut.GetAttribute("form"));
    }

    [Fact]
    public void StaticPage_ReadsTheThemeCookie()
    {
        Http.Request.Headers.Cookie = "ticketing.theme=dark; ticketing.tz=Asia/Tokyo";

        var cut = Context.Render<MainLayout>(p => p.Add(l => l.Body, b =>
        {
            b.OpenComponent<LocalTime>(0);
            b.AddAttribute(1, nameof(LocalTime.Value), Start);
            b.CloseComponent();
        }));

        Assert.Equal("21:00", cut.Find(".app-main time").TextContent);
        Assert.Equal("dark", cut.Find(".app-shell").GetAttribute("data-theme"));
    }
}
