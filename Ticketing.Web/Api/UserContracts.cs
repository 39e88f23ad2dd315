using System.ComponentModel.DataAnnotations;

namespace Ticketing.Web.Api;

// What the users' calls (UsersApi, AccountApi) take and answer, in one place.

/// <summary>Sign-up's body, and the first part of sign-in's.</summary>
public record CredentialsRequest
{
    [Required]
    public string? Email { get; init; }

    [Required]
    public string? Password { get; init; }
}

/// <summary>Sign-in: for an account with two-factor sign-in, the second call adds <c>code</c> or <c>recoveryCode</c>.</summary>
public sealed record SignInRequest : CredentialsRequest
{
    /// <summary>The 6-digit code from the authenticator app.</summary>
    public string? Code { get; init; }

    /// <summary>One of the recovery codes, each good once, instead of <see cref="Code"/>.</summary>
    public string? RecoveryCode { get; init; }
}

public sealed record UserResponse(Guid Id, string Email);

public sealed record CurrentUser(Guid Id, string Email, IReadOnlyList<string> Roles);

public sealed record CurrentUserResponse(CurrentUser? CurrentUser);

/// <summary>The <c>{}</c> of a call that has nothing to say.</summary>
public sealed record EmptyResponse;

/// <summary>The <c>{}</c> (or empty body) of a call that needs no input.</summary>
public sealed record EmptyRequest;

public sealed record DeleteAccountRequest
{
    [Required]
    public string? Password { get; init; }
}

public sealed record ForgotPasswordRequest
{
    [Required]
    public string? Email { get; init; }
}

/// <summary>From the reset link: <c>/account/reset-password?user={userId}&amp;token={token}</c>.</summary>
public sealed record ResetPasswordRequest
{
    [Required]
    public string? UserId { get; init; }

    [Required]
    public string? Token { get; init; }

    [Required]
    public string? Password { get; init; }
}
