namespace Ticketing.Web.Accounts;

/// <summary>Bound from <c>Accounts</c>: how long account links work, and how often they are sent.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    public int PasswordResetMinutes { get; set; } = 60;

    /// <summary>When set, overrides <see cref="PasswordResetMinutes"/> (short lifetimes for tests).</summary>
    public int? PasswordResetSeconds { get; set; }

    public int EmailConfirmationHours { get; set; } = 72;

    /// <summary>
    /// At most one reset link, and one confirmation link, per account in this many seconds, however
    /// many requests arrive: the site cannot be used to flood someone's mailbox.
    /// </summary>
    public int EmailIntervalSeconds { get; set; } = 60;

    public TimeSpan PasswordResetLifetime =>
        PasswordResetSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(Math.Max(1, PasswordResetMinutes));

    public TimeSpan EmailConfirmationLifetime => TimeSpan.FromHours(Math.Max(1, EmailConfirmationHours));
}
