using System.ComponentModel.DataAnnotations;

namespace Ticketing.Web.Api;

// What the users' calls (UsersApi, AccountApi) take and answer, in one place.

/// <summary>Sign-up's body, and the first part of sign-in's.</summary>
public record CredentialsRequest([property: Required] string? Email, [property: Required] string? Password);

// Optional members default to null: the OpenAPI schema lists a parameter without a default as required.
/// <summary>Sign-in: for an account with two-factor sign-in, the second call adds <c>code</c> or <c>recoveryCode</c>.</summary>
/// <param name="Code">The 6-digit code from the authenticator app.</param>
/// <param name="RecoveryCode">One of the recovery codes, each good once, instead of <paramref name="Code"/>.</param>
public sealed record SignInRequest(string? Email, string? Password, string? Code = null, string? RecoveryCode = null) : CredentialsRequest(Email, Password);

public sealed record UserResponse(Guid Id, string Email);

public sealed record CurrentUser(Guid Id, string Email, IReadOnlyList<string> Roles);

public sealed record CurrentUserResponse(CurrentUser? CurrentUser);

/// <summary>The <c>{}</c> of a call that has nothing to say.</summary>
public sealed record EmptyResponse;

/// <summary>The <c>{}</c> (or empty body) of a call that needs no input.</summary>
public sealed record EmptyRequest;

public sealed record DeleteAccountRequest([property: Required] string? Password);

public sealed record ForgotPasswordRequest([property: Required] string? Email);

/// <summary>From the reset link: <c>/account/reset-password?user={userId}&amp;token={token}</c>.</summary>
public sealed record ResetPasswordRequest([property: Required] string? UserId, [property: Required] string? Token, [property: Required] string? Password);
