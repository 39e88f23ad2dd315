using System.Security.Claims;
using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class CurrentUserTests
{
    [Fact]
    public void Anonymous_IsNoActor() => Assert.Null(new ClaimsPrincipal(new ClaimsIdentity()).ToActor());

    [Fact]
    public void SignedInUser_IsAnActorWithTheirId()
    {
        var id = Guid.NewGuid();

        var actor = User(new Claim(ClaimTypes.NameIdentifier, id.ToString())).ToActor();

        Assert.Equal(new(id, false), actor);
    }

    [Fact]
    public void AdminRole_MakesAnAdminActor()
    {
        var actor = User(new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Role, "Admin")).ToActor();

        Assert.True(actor!.IsAdmin);
    }

    [Fact]
    public void UnreadableId_IsNoActor() => Assert.Null(User(new Claim(ClaimTypes.NameIdentifier, "not-a-guid")).ToActor());

    private static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "cookie"));
}
