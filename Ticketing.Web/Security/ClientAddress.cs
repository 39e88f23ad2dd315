namespace Ticketing.Web.Security;

/// <summary>
/// The address a request came from: the real client once the forwarded headers of a known proxy
/// are applied (see <see cref="ForwardedHeadersSetup"/>), which is what rate limits, sign-in
/// lockouts and the logs key on.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : Unknown;
}
