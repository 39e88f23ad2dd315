using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Security;

namespace Ticketing.Web.Api;

public sealed record CredentialsRequest
{
    [Required]
    public string? Email { get; init; }

    [Required]
    public string? Password { get; init; }
}

/// <summary>Sign-in: for an account with two-factor sign-in, the second call adds <c>code</c> or <c>recoveryCode</c>.</summary>
public sealed record SignInRequest
{
    [Required]
    public string? Email { get; init; }

    [Required]
    public string? Password { get; init; }

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

/// <summary>Sign-up, sign-in and sign-out with the same Identity cookie the UI uses.</summary>
internal static class UsersApi
{
    private const int MaxEmailLength = PasswordSignIn.MaxEmailLength;
    private const string InvalidCredentials = "Invalid credentials";

    /// <summary>The answer to a right password of an account with two-factor sign-in; documented in the README and OpenAPI.</summary>
    public const string TwoFactorRequired = "Two-factor code required: send the sign-in again with \"code\" from the authenticator app, or a \"recoveryCode\"";

    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapPost("/signup", SignUpAsync)
            .WithName("SignUp")
            .WithSummary("Creates an account and signs it in")
            .WithDescription("Emails compare case-insensitively; passwords are 8 to 128 characters. Sets the auth cookie.")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<CredentialsRequest>()
            .ProducesErrors(StatusCodes.Status429TooManyRequests);

        users.MapPost("/signin", SignInAsync)
            .WithName("SignIn")
            .WithSummary("Signs in with email and password")
            .WithDescription("The same answer for an unknown email and a wrong password. Five consecutive failures from one client address lock that address out of the account for five minutes (429); other clients are not affected. "
                + "For an account with two-factor sign-in, a right password is answered 401 with the field `code`; the same call again with `code` (from the authenticator app) or `recoveryCode` signs in. Five wrong codes lock the account for five minutes.")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<SignInRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);

        users.MapPost("/signout", SignOutAsync)
            .WithName("SignOut")
            .WithSummary("Clears the auth cookie")
            .WithDescription("Takes `application/json` like every state change; the body may be empty or `{}`.")
            .DescribesBody<EmptyRequest>()
            .ProducesErrors(StatusCodes.Status415UnsupportedMediaType);

        users.MapGet("/currentuser", GetCurrentUser)
            .WithName("GetCurrentUser")
            .WithSummary("The signed-in user, or null");
    }

    private static async Task<Created<UserResponse>> SignUpAsync(
        HttpRequest request,
        UserManager<AppUser> userManager,
        SignInManager<AppUser> signInManager,
        UnknownAccountSignIn unknownAccount,
        CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<CredentialsRequest>(request, cancellationToken);
        var email = input.Email?.Trim() ?? string.Empty;
        var password = input.Password ?? string.Empty;

        var errors = new List<ApiError>();
        if (!IsValidEmail(email))
        {
            errors.Add(new ApiError("Email must be valid", "email"));
        }

        if (password.Length is < PasswordLengthValidator.MinLength or > PasswordLengthValidator.MaxLength)
        {
            errors.Add(new ApiError(PasswordLengthMessage, "password"));
        }

        if (errors.Count > 0)
        {
            throw new ApiRequestException(StatusCodes.Status400BadRequest, errors);
        }

        if (await userManager.FindByEmailAsync(email) is not null)
        {
            throw EmailInUse();
        }

        var user = new AppUser { UserName = email, Email = email };
        IdentityResult created;
        try
        {
            created = await userManager.CreateAsync(user, password);
        }
        catch (DbUpdateException)
        {
            // Two sign-ups with one email raced past the check above; the unique user name decided.
            if (await userManager.FindByEmailAsync(email) is null)
            {
                throw;
            }

            throw EmailInUse();
        }

        if (!created.Succeeded)
        {
            throw new ApiRequestException(StatusCodes.Status400BadRequest, created.Errors.Select(Describe).Distinct().ToList());
        }

        await signInManager.SignInAsync(user, isPersistent: false);
        return TypedResults.Created((string?)null, new UserResponse(user.Id, email));
    }

    private static async Task<Ok<UserResponse>> SignInAsync(
        HttpRequest request,
        PasswordSignIn passwordSignIn,
        CancellationToken cancellationToken)
    {
        var input = await JsonBody.ReadAsync<SignInRequest>(request, cancellationToken);
        var email = input.Email?.Trim() ?? string.Empty;
        var password = input.Password ?? string.Empty;

        var errors = new List<ApiError>();
        if (email.Length == 0)
        {
            errors.Add(new ApiError("Email is required", "email"));
        }

        if (password.Length == 0)
        {
            errors.Add(new ApiError("Password is required", "password"));
        }

        if (errors.Count > 0)
        {
            throw new ApiRequestException(StatusCodes.Status400BadRequest, errors);
        }

        // The attempt that reaches the limit is still answered as a failed attempt; the lock shows
        // from the next one on, whatever password it brings.
        var secondFactor = SecondFactorOf(input);
        var (outcome, user) = await passwordSignIn.SignInAsync(email, password, isPersistent: false, request.HttpContext, secondFactor, cancellationToken);
        return outcome switch
        {
            PasswordSignInOutcome.Succeeded => TypedResults.Ok(new UserResponse(user!.Id, user.Email ?? email)),
            PasswordSignInOutcome.LockedOut => throw LockedOut(),
            PasswordSignInOutcome.TwoFactorRequired => throw new ApiRequestException(StatusCodes.Status401Unauthorized, [new ApiError(TwoFactorRequired, "code")]),
            PasswordSignInOutcome.InvalidSecondFactor => throw ApiRequestException.BadRequest(
                secondFactor!.IsRecoveryCode ? "Invalid recovery code" : "Invalid two-factor code", secondFactor.IsRecoveryCode ? "recoveryCode" : "code"),
            _ => throw ApiRequestException.BadRequest(InvalidCredentials),
        };
    }

    private static SecondFactor? SecondFactorOf(SignInRequest input) =>
        !string.IsNullOrWhiteSpace(input.Code) ? new SecondFactor(input.Code)
        : !string.IsNullOrWhiteSpace(input.RecoveryCode) ? new SecondFactor(input.RecoveryCode, IsRecoveryCode: true)
        : null;

    /// <summary>JSON like every other state change (any body, even none): a cross-site form or a bare POST cannot sign anyone out.</summary>
    private static async Task<Ok<EmptyResponse>> SignOutAsync(HttpRequest request, SignInManager<AppUser> signInManager)
    {
        if (!JsonBody.IsJson(request.ContentType))
        {
            throw new ApiRequestException(StatusCodes.Status415UnsupportedMediaType, [new ApiError("Content-Type must be application/json")]);
        }

        await signInManager.SignOutAsync();
        return TypedResults.Ok(new EmptyResponse());
    }

    private static Ok<CurrentUserResponse> GetCurrentUser(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return TypedResults.Ok(new CurrentUserResponse(null));
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new CurrentUserResponse(new CurrentUser(id, user.FindFirstValue(ClaimTypes.Email) ?? string.Empty, roles)));
    }

    private static string PasswordLengthMessage =>
        $"Password must be between {PasswordLengthValidator.MinLength} and {PasswordLengthValidator.MaxLength} characters";

    /// <summary>A plain address (no display name) whose domain has a dot, as the original services required.</summary>
    internal static bool IsValidEmail(string email) =>
        email.Length is > 0 and <= MaxEmailLength
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.DisplayName.Length == 0
        && address.Host.Contains('.')
        && !address.Host.StartsWith('.')
        && !address.Host.EndsWith('.');

    private static ApiRequestException EmailInUse() => ApiRequestException.BadRequest("Email in use", "email");

    private static ApiRequestException LockedOut() => new(
        StatusCodes.Status429TooManyRequests,
        [new ApiError("Too many failed sign-in attempts; the account is locked for a few minutes")]);

    private static ApiError Describe(IdentityError error) => error.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName) => new ApiError("Email in use", "email"),
        _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => new ApiError(error.Description, "password"),

        // The user name is the email, and Identity allows fewer characters in names than RFC 5322 in addresses.
        _ => new ApiError("Email must be valid", "email"),
    };
}
