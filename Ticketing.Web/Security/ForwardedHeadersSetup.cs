using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Ticketing.Web.Security;

/// <summary>
/// Behind a reverse proxy the connection comes from the proxy: without its <c>X-Forwarded-For</c>
/// and <c>X-Forwarded-Proto</c> every client shares one rate limit, and cookies, redirects and HSTS
/// see plain HTTP. The headers are believed only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR
/// ranges), besides loopback, each given as a list or as one comma-separated value.
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
