using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Ticketing.Web.Security;

/// <summary>
/// Behind a reverse proxy the connection comes from the proxy: without its <c>X-Forwarded-For</c>
/// and <c>X-Forwarded-Proto</c> every client shares one rate limit, and cookies, redirects and HSTS
/// see plain HTTP. The headers are believed only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR
/// ranges), each given as a list or as one comma-separated value. Nothing else is trusted, not even
/// loopback, which ASP.NET Core trusts by default: a client on the same host (or a process that
/// reaches the port through a local tunnel) could otherwise name any address it liked and so any
/// rate-limit and lockout key. A proxy on the same host is named like any other (127.0.0.1, ::1).
/// </summary>
public static class ForwardedHeadersSetup
{
    private const string ProxiesKey = "ForwardedHeaders:KnownProxies";
    private const string NetworksKey = "ForwardedHeaders:KnownNetworks";

    public static IServiceCollection AddTicketingForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // No fixed hop count: the chain is walked from the right for as long as each hop is a
            // known proxy, so a client's own X-Forwarded-For entries are never believed, while a
            // trusted load balancer in front of the trusted nginx still passes the real address on.
            o.ForwardLimit = null;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list, whatever it still holds.
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in List(configuration, ProxiesKey))
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    o.KnownProxies.Add(address);
                }
            }

            foreach (var network in List(configuration, NetworksKey))
            {
                if (System.Net.IPNetwork.TryParse(network, out var range))
                {
                    o.KnownIPNetworks.Add(range);
                }
            }

            // With both lists empty the middleware would believe every sender: no proxy named, no
            // forwarded header read.
            if (o.KnownProxies.Count == 0 && o.KnownIPNetworks.Count == 0)
            {
                o.ForwardedHeaders = ForwardedHeaders.None;
            }
        });
        return services;
    }

    /// <summary>Entries that are not an address or a CIDR range, named so that the operator can fix them.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        foreach (var proxy in List(configuration, ProxiesKey).Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return $"{ProxiesKey} holds '{proxy}', which is not an IP address.";
        }

        foreach (var network in List(configuration, NetworksKey).Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return $"{NetworksKey} holds '{network}', which is not a network in CIDR form (e.g. 10.0.0.0/8).";
        }
    }

    private static IEnumerable<string> List(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return values
            .SelectMany(v => (v ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal);
    }
}
