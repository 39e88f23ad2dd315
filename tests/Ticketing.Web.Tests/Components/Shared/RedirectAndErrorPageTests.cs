using Bunit;
using Microsoft.AspNetCore.Components;
using Ticketing.Web.Components.Pages;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class RedirectAndErrorPageTests : UiTestContext
{
    [Fact]
    public void Anonymous_OnAProtectedPage_DrawnByTheServer_IsSentToSignInAndBack()
    {
        Navigation.NavigateTo("/my/listings?x=1");
        Context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        Context.Render<RedirectToLogin>();

        Assert.Equal("http://localhost/account/login?returnUrl=%2Fmy%2Flistings%3Fx%3D1", Navigation.Uri);
    }

    [Fact]
    public void SignedInUser_WithoutTheRole_OnAPageDrawnByTheServer_IsToldAccessIsDenied()
    {
        SignInNewUser("ada");
        Navigation.NavigateTo("/admin");
        Context.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        Context.Render<RedirectToLogin>();

        Assert.Equal("http://localhost/account/access-denied", Navigation.Uri);
    }

    /// <summary>
    /// In a circuit whose user was signed out (or lost a role), the page is loaded again where it is:
    /// the browser's cookie decides, and the server sends it on to the sign-in page if need be.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InACircuit_ThePageIsLoadedAgainInPlace_ForTheServerToDecideByTheCookie(bool signedIn)
    {
        if (signedIn)
        {
            SignInNewUser("ada");
        }

        Navigation.NavigateTo("/orders?page=2");
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        Context.Render<RedirectToLogin>();

        Assert.Equal("http://localhost/orders?page=2", Navigation.Uri);
        var reload = Assert.IsType<Bunit.TestDoubles.BunitNavigationManager>(Navigation).History.First();
        Assert.Equal("http://localhost/orders?page=2", reload.Uri);
        Assert.True(reload.Options.ForceLoad, "not loaded again from the server");
    }

    [Fact]
    public void NotFoundPage_LeadsBackToTheTickets()
    {
        var cut = Context.Render<NotFound>();

        Assert.Contains("Page not found", cut.Find("[data-state=not-found]").TextContent);
        Assert.NotNull(cut.Find("a[href='/']"));
    }

    [Fact]
    public void ErrorPage_GivesAReferenceToQuote()
    {
        Http.TraceIdentifier = "trace-42";

        var cut = Context.Render<Error>();

        Assert.Contains("Something went wrong", cut.Find("[data-state=error]").TextContent);
        Assert.NotEmpty(cut.Find("[data-field=request-id]").TextContent);
    }
}
