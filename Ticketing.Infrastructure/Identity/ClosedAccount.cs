using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Infrastructure.Identity;

/// <summary>
/// The mark a deleted account leaves: a one-way hash of its id, so that a request of that account
/// still in flight when it was deleted can tell, and nothing kept names the account. Written first
/// in the deletion's transaction.
/// </summary>
public sealed class ClosedAccount
{
    public const int KeyLength = 64;

    /// <summary>SHA-256 of the account id, in hex.</summary>
    public required string Key { get; init; }

    public DateTimeOffset ClosedAt { get; init; }

    public static string KeyOf(Guid accountId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(accountId.ToString("D"))));
}
