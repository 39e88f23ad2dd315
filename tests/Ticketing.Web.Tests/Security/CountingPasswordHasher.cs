using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Security;

/// <summary>Identity's own hasher, counting the password checks it is asked for.</summary>
public sealed class CountingPasswordHasher(IOptions<PasswordHasherOptions> options, CountingPasswordHasher.Tally tally)
    : PasswordHasher<AppUser>(options)
{
    public override PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref tally.Checks);
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }

    public sealed class Tally
    {
        public int Checks;
    }
}
