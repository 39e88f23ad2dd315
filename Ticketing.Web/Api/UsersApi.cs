using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Web.Security;

namespace Ticketing.Web.Api;

/// <summary>Sign-up, sign-in and sign-out with the same Identity cookie the UI uses.</summary>
internal static class UsersApi
{
    private const string InvalidCredentials = "Invalid credentials";

    /// <summary>The answer to a right password of an account with two-factor sign-in; documented in the README and OpenAPI.</summary>
    public const string TwoFactorRequired = "Two-factor code required: send the sign-in again with \"code\" from the authenticator app, or a \"recoveryCode\"";

    /// <summary>Inside the <c>/users</c> group, which the account's calls share (<see cref="AccountApi"/>).</summary>
    public static void MapUsersApi(this RouteGroupBuilder users)
    {
        users.MapPost("/signup", SignUpAsync)
            .WithOperation("SignUp", "Creates an account and signs it in",
                "Emails compare case-insensitively; passwords are 8 to 128 characters. Sets the auth cookie.")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<CredentialsRequest>()
            .ProducesErrors(StatusCodes.Status429TooManyRequests);

        users.MapPost("/signin", SignInAsync)
            .WithOperation("SignIn", "Signs in with email and password",
                "The same answer for an unknown email and a wrong password. Five consecutive failures from one client address lock that address out of the account for five minutes (429); other clients are not affected. "
                + "For an account with two-factor sign-in, a right password is answered 401 with the field `code`; the same call again with `code` (from the authenticator app) or `recoveryCode` signs in. Five wrong codes lock the account for five minutes.")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<SignInRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);

        users.MapPost("/signout", SignOutAsync)
            .WithOperation("SignOut", "Clears the auth cookie",
                "Takes `application/json` like every state change; the body may be empty or `{}`.")
            .DescribesBody<EmptyRequest>()
            .ProducesErrors(StatusCodes.Status415UnsupportedMediaType);

        users.MapGet("/currentuser", GetCurrentUser)
            .WithOperation("GetCurrentUser", "The signed-in user, or null");
    }

    private static async Task<Created<UserResponse>> SignUpAsync(CredentialsRequest input, Infrastructure.Identity.Accounts accounts, CancellationToken cancellationToken)
    {
        var result = await accounts.SignUpAsync(input.Email ?? string.Empty, input.Password ?? string.Empty, cancellationToken);
        return result.User is { } user
            ? TypedResults.Created((string?)null, new UserResponse(user.Id, user.Email!))
            : throw new ApiRequestException(StatusCodes.Status400BadRequest, result.Errors.Select(e => new ApiError(e.Message, e.Field)).ToList());
    }

    private static async Task<Ok<UserResponse>> SignInAsync(
        SignInRequest input,
        HttpRequest request,
        Infrastructure.Identity.Accounts accounts,
        IOptions<IdentityOptions> identity,
        CancellationToken cancellationToken)
    {
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
        var (outcome, user) = await accounts.SignInAsync(email, password, isPersistent: false, ClientAddress.Of(request.HttpContext), secondFactor, cancellationToken);
        return outcome switch
        {
            PasswordSignInOutcome.Succeeded => TypedResults.Ok(new UserResponse(user!.Id, user.Email ?? email)),
            PasswordSignInOutcome.LockedOut => throw LockedOut(identity.Value.Lockout.DefaultLockoutTimeSpan),
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
        if (!JsonContentFilter.IsJson(request.ContentType))
        {
            throw new ApiRequestException(StatusCodes.Status415UnsupportedMediaType, [new ApiError("Content-Type must be application/json")]);
        }

        await signInManager.SignOutAsync();
        return TypedResults.Ok(new EmptyResponse());
    }

    private static Ok<CurrentUserResponse> GetCurrentUser(ClaimsPrincipal user)
    {
        if (user.UserId() is not { } id)
        {
            return TypedResults.Ok(new CurrentUserResponse(null));
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new CurrentUserResponse(new CurrentUser(id, user.Email() ?? string.Empty, roles)));
    }

    /// <summary>The lock's whole length as <c>Retry-After</c>: a retry then finds it over, whenever within it the call came.</summary>
    private static ApiRequestException LockedOut(TimeSpan lockFor) => new(
        StatusCodes.Status429TooManyRequests,
        [new ApiError("Too many failed sign-in attempts; the account is locked for a few minutes")])
    {
        RetryAfter = lockFor,
    };
}
