using System.ComponentModel.DataAnnotations;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Ticketing.Web.Accounts;
using Ticketing.Web.Security;

namespace Ticketing.Web.Api;

/// <summary>The shape of "download my data", for the OpenAPI document (the endpoint streams it).</summary>
public sealed record PersonalDataDocument(
    DateTimeOffset ExportedAt,
    AccountExport Account,
    IReadOnlyList<ListingExport> Listings,
    IReadOnlyList<OrderExport> Orders,
    IReadOnlyList<PaymentExport> Payments);

/// <summary>What the signed-in user does with their own account: download its data, delete it.</summary>
internal static class AccountApi
{
    /// <summary>Rows written between two flushes: the client sees the download move, and the server holds little.</summary>
    private const int FlushEvery = 200;

    /// <summary>Inside the <c>/users</c> group, beside sign-up and sign-in (<see cref="UsersApi"/>).</summary>
    public static void MapAccountApi(this RouteGroupBuilder users)
    {
        users.MapPost("/forgotpassword", ForgotPasswordAsync)
            .WithOperation("ForgotPassword", "E-mails a password-reset link, if an account uses the address",
                "Always 202 for a well-formed address, with no way to tell whether an account uses it. The link works once, for an hour (Accounts:PasswordResetMinutes).")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<ForgotPasswordRequest>()
            .Produces<EmptyResponse>(StatusCodes.Status202Accepted)
            .ProducesErrors(StatusCodes.Status429TooManyRequests);

        users.MapPost("/resetpassword", ResetPasswordAsync)
            .WithOperation("ResetPassword", "Sets a new password with the user id and token of a reset link",
                "400 on the field `token` when the link expired, was used, or is not one we sent; other reset links stop working once one is used.")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<ResetPasswordRequest>()
            .ProducesErrors(StatusCodes.Status429TooManyRequests);

        var account = users.MapGroup("/currentuser");

        account.MapGet("/data", DownloadDataAsync)
            .WithOperation("DownloadMyData", "Everything the app holds about the signed-in account, as a JSON file",
                "The account, every listing it made (withdrawn ones too), its orders and the payments for them.")
            .Produces<PersonalDataDocument>(StatusCodes.Status200OK, "application/json")
            .ProducesErrors(StatusCodes.Status401Unauthorized);

        account.MapDelete(string.Empty, DeleteAsync)
            .WithOperation("DeleteMyAccount", "Deletes the signed-in account, after its password",
                "Live reservations are cancelled and listings withdrawn; orders and sold listings are kept for the books without anything that names the account. "
                + "Refused (400) while a payment for one of its orders is in progress, while a buyer holds one of its tickets, and for administrators. Clears the auth cookie.")
            .RequireRateLimiting(RateLimits.AuthPolicy)
            .AcceptsJson<DeleteAccountRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
    }

    /// <summary>Validation only, then one insert: no lookup, so known and unknown addresses cost the same.</summary>
    private static async Task<Accepted<EmptyResponse>> ForgotPasswordAsync(ForgotPasswordRequest input, AccountRequests requests, CancellationToken cancellationToken)
    {
        var email = input.Email?.Trim() ?? string.Empty;
        if (!Infrastructure.Identity.Accounts.IsValidEmail(email))
        {
            throw ApiRequestException.BadRequest(Infrastructure.Identity.Accounts.InvalidEmailMessage, "email");
        }

        await requests.RequestPasswordResetAsync(email, cancellationToken);
        return TypedResults.Accepted((string?)null, new EmptyResponse());
    }

    private static async Task<Ok<EmptyResponse>> ResetPasswordAsync(ResetPasswordRequest input, PasswordResets resets, CancellationToken cancellationToken)
    {
        var password = input.Password ?? string.Empty;
        if (password.Length is < PasswordLengthValidator.MinLength or > PasswordLengthValidator.MaxLength)
        {
            throw ApiRequestException.BadRequest(PasswordLengthValidator.Message, "password");
        }

        var result = await resets.ResetAsync(input.UserId, input.Token, password, cancellationToken);
        return result switch
        {
            { Succeeded: true } => TypedResults.Ok(new EmptyResponse()),
            { LinkInvalid: true } => throw ApiRequestException.BadRequest(PasswordResets.InvalidLink, "token"),
            _ => throw new ApiRequestException(StatusCodes.Status400BadRequest, result.Errors.Select(e => new ApiError(e, "password")).ToList()),
        };
    }

    private static async Task DownloadDataAsync(
        HttpContext http,
        ClaimsPrincipal principal,
        PersonalData data,
        IOptions<JsonOptions> json,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var account = await data.AccountAsync(principal.RequireActor().UserId, cancellationToken) ?? throw new AccessDeniedException();
        var now = clock.GetUtcNow();
        var options = json.Value.SerializerOptions;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"ticketing-data-{now:yyyy-MM-dd}.json\"";
        http.Response.Headers.CacheControl = "no-store";

        // On the response's pipe: the writer fills its buffers, and only the awaited flushes write to the socket.
        var body = http.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WritePropertyName(options.PropertyNamingPolicy!.ConvertName(nameof(PersonalDataDocument.ExportedAt)));
        JsonSerializer.Serialize(writer, now, options);
        writer.WritePropertyName(options.PropertyNamingPolicy.ConvertName(nameof(PersonalDataDocument.Account)));
        JsonSerializer.Serialize(writer, account, options);
        await WriteListAsync(writer, body, options, nameof(PersonalDataDocument.Listings), data.ListingsAsync(account.Id, cancellationToken), cancellationToken);
        await WriteListAsync(writer, body, options, nameof(PersonalDataDocument.Orders), data.OrdersAsync(account.Id, cancellationToken), cancellationToken);
        await WriteListAsync(writer, body, options, nameof(PersonalDataDocument.Payments), data.PaymentsAsync(account.Id, cancellationToken), cancellationToken);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    private static async Task WriteListAsync<T>(
        Utf8JsonWriter writer, PipeWriter body, JsonSerializerOptions options, string name, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        writer.WritePropertyName(options.PropertyNamingPolicy!.ConvertName(name));
        writer.WriteStartArray();
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, row, options);
            if (++written % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
                await body.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
    }

    private static async Task<NoContent> DeleteAsync(
        [Microsoft.AspNetCore.Mvc.FromBody] DeleteAccountRequest input,
        HttpRequest request,
        ClaimsPrincipal principal,
        UserManager<AppUser> users,
        SignInManager<AppUser> signIn,
        Infrastructure.Identity.Accounts accounts,
        AccountDeletion deletion,
        CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal) ?? throw new AccessDeniedException();
        if (string.IsNullOrEmpty(input.Password))
        {
            throw ApiRequestException.BadRequest("Password is required", "password");
        }

        switch (await accounts.ConfirmPasswordAsync(user, input.Password, ClientAddress.Of(request.HttpContext), cancellationToken))
        {
            case PasswordSignInOutcome.Succeeded:
                break;
            case PasswordSignInOutcome.LockedOut:
                throw new ApiRequestException(StatusCodes.Status429TooManyRequests, [new ApiError("Too many wrong passwords; try again in a few minutes")]);
            default:
                throw ApiRequestException.BadRequest("The password is not right", "password");
        }

        await deletion.DeleteAsync(user.Id, cancellationToken);
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }
}
