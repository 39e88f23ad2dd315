using Bunit;
using Ticketing.Web.Components.Pages;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class RedirectAndErrorPageTests : UiTestContext
{
    [Fact]
    public void Anonymous_OnAProtectedPage_IsSentToSignInAndBack()
    {
        Navigation.NavigateTo("/my/listings?x=1");

        Context.Render<RedirectToLogin>();

        Assert.Equal("http://localhost/account/login?returnUrl=%2Fmy%2Flistings%3Fx%3D1", Navigation.Uri);
    }

    [Fact]
    public void SignedInUser_WithoutTheRole_IsToldAccessIsDenied()
    {
        SignInNewUser("ada");
        Navigation.NavigateTo("/admin");

        Context.Render<RedirectToLogin>();

        Assert.Equal("http://localhost/account/access-denied", Navigation.Uri);
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
