using System.Security.Claims;
using Ticketing.Domain.Common;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Security;

public sealed class SignedInUserTests
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

    [Fact]
    public void Anonymous_HasNoUserId_AndIsRefusedWhereASignedInUserIsRequired()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        Assert.Null(anonymous.UserId());
        Assert.Throws<AccessDeniedException>(() => anonymous.RequireActor());
    }

    [Fact]
    public void IdClaimOfAnUnauthenticatedIdentity_IsNotTrusted()
    {
        var unauthenticated = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString())]));

        Assert.Null(unauthenticated.UserId());
        Assert.Null(unauthenticated.ToActor());
    }

    [Fact]
    public void SignedInUser_IsTheSameActorForTheApiAndThePages()
    {
        var id = Guid.NewGuid();
        var user = User(new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Email, "ada@example.com"));

        Assert.Equal(id, user.UserId());
        Assert.Equal(user.ToActor(), user.RequireActor());
        Assert.Equal("ada@example.com", user.DisplayName());
    }

    private static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "cookie"));
}
