using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Web.Security;

namespace Ticketing.Web.Tests.Hosting;

/// <summary>Which proxies' X-Forwarded-* headers the app believes, as configured.</summary>
public sealed class ForwardedHeadersTests
{
    [Fact]
    public void KnownProxiesAndNetworks_FromAListOrACommaSeparatedValue_AreTheOnlyOnesTrusted()
    {
        var options = OptionsFor(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = "172.28.0.10, 2001:db8::7",
            ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8",
            ["ForwardedHeaders:KnownNetworks:1"] = "192.168.4.0/24",
        });

        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, options.ForwardedHeaders);
        Assert.Null(options.ForwardLimit);
        Assert.Contains(IPAddress.Parse("172.28.0.10"), options.KnownProxies);
        Assert.Contains(IPAddress.Parse("2001:db8::7"), options.KnownProxies);
        Assert.Equal(2, options.KnownProxies.Count);
        Assert.Equal([System.Net.IPNetwork.Parse("10.0.0.0/8"), System.Net.IPNetwork.Parse("192.168.4.0/24")], options.KnownIPNetworks);
        Assert.Empty(ForwardedHeadersSetup.Problems(Configuration(new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies"] = "172.28.0.10, 2001:db8::7" })));
    }

    [Fact]
    public void WithNothingSet_NoForwardedHeaderIsRead_FromLoopbackOrAnywhere()
    {
        var options = OptionsFor([]);

        // Not only empty lists, which the middleware reads as "believe every sender".
        Assert.Equal(ForwardedHeaders.None, options.ForwardedHeaders);
        Assert.Empty(options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
    }

    [Fact]
    public void EntriesThatAreNotAddressesOrNetworks_AreNamedAsProblems()
    {
        var problems = ForwardedHeadersSetup.Problems(Configuration(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies"] = "nginx",
            ["ForwardedHeaders:KnownNetworks"] = "10.0.0.0/8,10.0.0.0/99",
        })).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("ForwardedHeaders:KnownProxies holds 'nginx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ForwardedHeaders:KnownNetworks holds '10.0.0.0/99'", StringComparison.Ordinal));
    }

    private static ForwardedHeadersOptions OptionsFor(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddTicketingForwardedHeaders(Configuration(settings))
            .BuildServiceProvider()
            .GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
