using Microsoft.AspNetCore.Identity;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// A sign-in for an email nobody registered costs one password check, like a wrong password does:
/// without it the answer comes back a hash sooner, and the response time tells who has an account.
/// </summary>
[Scoped]
public sealed class UnknownAccountSignIn(IPasswordHasher<AppUser> hasher, UnknownAccountSignIn.DecoyHash decoy)
{
    private static readonly AppUser Nobody = new();

    public void CheckAgainstDecoy(string password) =>
        hasher.VerifyHashedPassword(Nobody, decoy.For(hasher), password);

    /// <summary>One hash made with the app's own hasher settings, so its check costs the same as a real one.</summary>
    [Singleton]
    public sealed class DecoyHash
    {
        private string? _hash;

        public string For(IPasswordHasher<AppUser> hasher) =>
            _hash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
    }
}
