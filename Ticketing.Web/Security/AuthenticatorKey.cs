using System.Text;
using QRCoder;

namespace Ticketing.Web.Security;

/// <summary>
/// How Identity's authenticator key (base32, from <c>UserManager.GetAuthenticatorKeyAsync</c>) is
/// shown: in groups of four to type, and as the <c>otpauth://</c> URI that authenticator apps scan.
/// </summary>
public static class AuthenticatorKey
{
    public static string Format(string key)
    {
        var text = new StringBuilder(key.Length + (key.Length / 4));
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>The key-URI format of Google Authenticator, which every authenticator app reads.</summary>
    public static string Uri(string issuer, string account, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(account)}?secret={key}&issuer={System.Uri.EscapeDataString(issuer)}&digits=6";

    /// <summary>The URI as a QR code, a PNG in a data: URI (the pages' CSP allows data: images, nothing is fetched).</summary>
    public static string QrCodeDataUri(string uri) =>
        "data:image/png;base64," + Convert.ToBase64String(PngByteQRCodeHelper.GetQRCode(uri, QRCodeGenerator.ECCLevel.M, 5));
}
