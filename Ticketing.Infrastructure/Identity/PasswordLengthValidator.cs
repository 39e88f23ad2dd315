using Microsoft.AspNetCore.Identity;

namespace Ticketing.Infrastructure.Identity;

/// <summary>Passwords of 8 to 128 characters; nothing else is required of them.</summary>
public sealed class PasswordLengthValidator : IPasswordValidator<AppUser>
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    public static readonly string Message = $"Password must be between {MinLength} and {MaxLength} characters";

    public Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password) =>
        Task.FromResult(password is { Length: > MaxLength }
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = Message })
            : IdentityResult.Success);
}
