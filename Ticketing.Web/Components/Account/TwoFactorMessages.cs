namespace Ticketing.Web.Components.Account;

/// <summary>What the second step of signing in tells people, the same on the code and recovery-code pages.</summary>
public static class TwoFactorMessages
{
    public const string Expired = "Your sign-in took too long. Sign in with your email and password again.";

    public static IReadOnlyList<string> For(PasswordSignInOutcome outcome, string wrongCode) => outcome switch
    {
        PasswordSignInOutcome.Succeeded => [],
        PasswordSignInOutcome.SignInExpired => [Expired],
        PasswordSignInOutcome.LockedOut => ["Too many wrong codes: the account is locked for 5 minutes."],
        PasswordSignInOutcome.NotAllowed => ["This account is not allowed to sign in."],
        _ => [wrongCode],
    };
}
