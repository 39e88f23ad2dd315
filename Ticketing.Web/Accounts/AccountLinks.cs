using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Ticketing.Web.Accounts;

/// <summary>
/// The links in account e-mails. They start with <c>Site:BaseUrl</c>, never with the Host of the
/// request that asked for them: a reset requested with a forged Host must not send the victim a
/// link to someone else's server (and with it their token). Without the setting, the address this
/// server listens on is used, which is right for development and tests.
/// </summary>
public sealed partial class AccountLinks(IConfiguration configuration, IServer server, ILogger<AccountLinks> logger)
{
    public const string BaseUrlKey = "Site:BaseUrl";

    private Uri? _base;

    public string ResetPassword(Guid userId, string token) =>
        Absolute($"/account/reset-password?user={userId}&token={Encode(token)}");

    public string ConfirmEmail(Guid userId, string token) =>
        Absolute($"/account/confirm-email?user={userId}&token={Encode(token)}");

    /// <summary>Identity's tokens are base64, which a URL mangles; links carry them base64url-encoded.</summary>
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token in a link, or null when the link was cut or altered.</summary>
    public static string? Decode(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded) || encoded.Length > 4096)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string Absolute(string pathAndQuery) => new Uri(Base, pathAndQuery).ToString();

    private Uri Base => _base ??= Resolve();

    private Uri Resolve()
    {
        if (configuration[BaseUrlKey] is { Length: > 0 } configured && Uri.TryCreate(configured, UriKind.Absolute, out var site))
        {
            return site;
        }

        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        var address = new UriBuilder(listening.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)).Uri;
        LogNoBaseUrl(address);
        return address;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site:BaseUrl is not set: links in e-mails start with {Address}, where this server listens. Set it to the address people use")]
    private partial void LogNoBaseUrl(Uri address);
}
