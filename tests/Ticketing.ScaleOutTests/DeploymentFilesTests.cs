using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Ticketing.ScaleOutTests;

/// <summary>
/// The deployment files under deploy/ agree with each other and with the app: the settings they
/// pass are ones the app reads, the ports line up, and the probes hit routes that exist.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private const int AppPort = 8080;

    private static readonly string Deploy = Path.Combine(Repo.Root, "deploy");

    [Fact]
    public void Every_yaml_file_under_deploy_parses()
    {
        var files = Directory.GetFiles(Deploy, "*.y*ml", SearchOption.AllDirectories);

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var documents = Load(file);
            Assert.True(documents.Count > 0, $"{file} holds no YAML document");
        }
    }

    [Fact]
    public void Compose_app_environment_names_are_settings_the_app_reads()
    {
        var compose = Root(Load(Path.Combine(Deploy, "docker-compose.yml")).Single());
        var services = Map(compose, "services");
        Assert.True(Map(services, "app2").Children.ContainsKey(new YamlScalarNode("build")), "app2 does not build the same image as app1");
        var appNames = new[] { "app1", "app2" };

        foreach (var name in appNames)
        {
            var env = Map(Map(services, name), "environment");
            var keys = env.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
            Assert.Contains("Database__Provider", keys);
            Assert.Equal("SqlServer", Scalar(env, "Database__Provider"));
            Assert.Contains("ConnectionStrings__Ticketing", keys);
            Assert.Contains("SignalR__Redis", keys);
            Assert.Equal("redis:6379", Scalar(env, "SignalR__Redis"));
            Assert.Contains("Stripe__SecretKey", keys);
            Assert.Contains("Stripe__PublishableKey", keys);
            Assert.Contains("Stripe__WebhookSecret", keys);
            Assert.Equal($"http://+:{AppPort}", Scalar(env, "ASPNETCORE_URLS"));
            AssertAppReads(keys);
        }

        Assert.True(services.Children.ContainsKey(new YamlScalarNode("redis")), "compose has no redis service for SignalR__Redis=redis:6379");
        Assert.True(services.Children.ContainsKey(new YamlScalarNode("sqlserver")), "compose has no sqlserver service for the connection string");
    }

    [Fact]
    public void Nginx_upstreams_dockerfile_expose_and_app_urls_all_use_port_8080()
    {
        var nginx = File.ReadAllText(Path.Combine(Deploy, "nginx", "nginx.conf"));
        var upstream = UpstreamBlock().Match(nginx);
        Assert.True(upstream.Success, "nginx.conf has no upstream block");
        var servers = UpstreamServer().Matches(upstream.Value).Select(m => (Host: m.Groups[1].Value, Port: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal(["app1", "app2"], servers.Select(s => s.Host));
        Assert.All(servers, s => Assert.Equal(AppPort, s.Port));
        Assert.Contains("hash $affinity consistent", upstream.Value, StringComparison.Ordinal);
        Assert.Contains("$cookie_ticketing_affinity", nginx, StringComparison.Ordinal);

        var dockerfile = File.ReadAllText(Path.Combine(Repo.Root, "Dockerfile"));
        Assert.Equal([AppPort], ExposeLine().Matches(dockerfile).Select(m => int.Parse(m.Groups[1].Value)));
        Assert.Contains($"ASPNETCORE_URLS=http://+:{AppPort}", dockerfile, StringComparison.Ordinal);

        var compose = Root(Load(Path.Combine(Deploy, "docker-compose.yml")).Single());
        var services = Map(compose, "services");
        var composeNginx = Map(services, "nginx");
        Assert.Contains("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro", Seq(composeNginx, "volumes").Select(v => ((YamlScalarNode)v).Value));
    }

    [Fact]
    public void K8s_deployment_runs_three_replicas_on_named_port_8080_with_probes_on_real_routes()
    {
        var deployment = K8s("Deployment");
        Assert.Equal("3", Scalar(Map(deployment, "spec"), "replicas"));

        var container = Container(deployment);
        var port = Seq(container, "ports").Cast<YamlMappingNode>().Single(p => Scalar(p, "name") == "http");
        Assert.Equal(AppPort.ToString(), Scalar(port, "containerPort"));

        var readiness = Map(Map(container, "readinessProbe"), "httpGet");
        var liveness = Map(Map(container, "livenessProbe"), "httpGet");
        Assert.Equal("/health/ready", Scalar(readiness, "path"));
        Assert.Equal("/health/live", Scalar(liveness, "path"));
        Assert.Equal("http", Scalar(readiness, "port"));
        Assert.Equal("http", Scalar(liveness, "port"));

        var healthSource = File.ReadAllText(Path.Combine(Repo.Root, "Ticketing.Web", "Health", "HealthEndpoints.cs"));
        Assert.Contains("MapHealthChecks(\"/health/ready\"", healthSource, StringComparison.Ordinal);
        Assert.Contains("MapHealthChecks(\"/health/live\"", healthSource, StringComparison.Ordinal);
    }

    [Fact]
    public void K8s_environment_names_are_settings_the_app_reads_and_secret_refs_exist()
    {
        var container = Container(K8s("Deployment"));
        var secret = K8s("Secret");
        var secretName = Scalar(Map(secret, "metadata"), "name");
        var secretKeys = Map(secret, "stringData").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();

        var env = Seq(container, "env").Cast<YamlMappingNode>().ToList();
        var names = env.Select(e => Scalar(e, "name") ?? string.Empty).ToHashSet();
        Assert.Contains("Database__Provider", names);
        Assert.Contains("ConnectionStrings__Ticketing", names);
        Assert.Contains("SignalR__Redis", names);
        Assert.Contains("Stripe__SecretKey", names);
        AssertAppReads(names);

        var refs = env.Where(e => e.Children.ContainsKey(new YamlScalarNode("valueFrom")))
            .Select(e => Map(Map(e, "valueFrom"), "secretKeyRef"))
            .ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, r =>
        {
            Assert.Equal(secretName, Scalar(r, "name"));
            Assert.Contains(Scalar(r, "key") ?? string.Empty, secretKeys);
        });
    }

    [Fact]
    public void K8s_service_selects_the_pods_targets_their_port_and_the_ingress_routes_to_it_with_affinity()
    {
        var deployment = K8s("Deployment");
        var service = K8s("Service");
        var ingress = K8s("Ingress");

        var podLabels = Map(Map(Map(Map(deployment, "spec"), "template"), "metadata"), "labels");
        var matchLabels = Map(Map(Map(deployment, "spec"), "selector"), "matchLabels");
        var selector = Map(Map(service, "spec"), "selector");
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(podLabels, ((YamlScalarNode)key).Value!));
        }

        foreach (var (key, value) in matchLabels.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(podLabels, ((YamlScalarNode)key).Value!));
        }

        var containerPortNames = Seq(Container(deployment), "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "name")).ToHashSet();
        var servicePorts = Seq(Map(service, "spec"), "ports").Cast<YamlMappingNode>().ToList();
        Assert.All(servicePorts, p => Assert.Contains(Scalar(p, "targetPort"), containerPortNames));
        Assert.Equal("ClientIP", Scalar(Map(service, "spec"), "sessionAffinity"));

        var backends = Seq(Map(ingress, "spec"), "rules").Cast<YamlMappingNode>()
            .SelectMany(r => Seq(Map(r, "http"), "paths").Cast<YamlMappingNode>())
            .Select(p => Map(Map(p, "backend"), "service"))
            .ToList();
        Assert.NotEmpty(backends);
        var serviceName = Scalar(Map(service, "metadata"), "name");
        var servicePortNames = servicePorts.Select(p => Scalar(p, "name")).ToHashSet();
        Assert.All(backends, b =>
        {
            Assert.Equal(serviceName, Scalar(b, "name"));
            Assert.Contains(Scalar(Map(b, "port"), "name"), servicePortNames);
        });

        var annotations = Map(Map(ingress, "metadata"), "annotations");
        Assert.Equal("cookie", Scalar(annotations, "nginx.ingress.kubernetes.io/affinity"));
        Assert.False(string.IsNullOrEmpty(Scalar(annotations, "nginx.ingress.kubernetes.io/session-cookie-name")));
    }

    [Fact]
    public void Compose_services_restart_unless_stopped_and_rotate_their_logs()
    {
        var services = Map(Root(Load(Path.Combine(Deploy, "docker-compose.yml")).Single()), "services");

        foreach (var (key, _) in services.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var service = Map(services, name);
            Assert.Equal("unless-stopped", Scalar(service, "restart"));
            var logging = Map(service, "logging");
            Assert.Equal("json-file", Scalar(logging, "driver"));
            Assert.Matches(@"^\d+m$", Scalar(Map(logging, "options"), "max-size"));
            Assert.True(int.Parse(Scalar(Map(logging, "options"), "max-file")!) > 1, $"{name} keeps one log file only");
        }
    }

    [Fact]
    public void Compose_and_Dockerfile_health_checks_run_the_app_itself_against_the_readiness_route()
    {
        var services = Map(Root(Load(Path.Combine(Deploy, "docker-compose.yml")).Single()), "services");
        string[] expected = ["dotnet", "Ticketing.Web.dll", Ticketing.Web.Health.HealthProbe.Switch, $"http://127.0.0.1:{AppPort}/health/ready"];
        foreach (var name in new[] { "app1", "app2" })
        {
            var test = Seq(Map(Map(services, name), "healthcheck"), "test").Select(n => ((YamlScalarNode)n).Value).ToList();
            Assert.Equal(["CMD", .. expected], test);
        }

        Assert.Equal(expected, DockerfileHealthCheck());
    }

    [Fact]
    public void Compose_trusts_forwarded_headers_from_its_nginx_only_and_nginx_terminates_tls_with_the_mounted_certificate()
    {
        var compose = Root(Load(Path.Combine(Deploy, "docker-compose.yml")).Single());
        var services = Map(compose, "services");
        var nginx = Map(services, "nginx");
        var nginxAddress = Scalar(Map(Map(nginx, "networks"), "default"), "ipv4_address")!;
        var ipam = Map(Map(Map(compose, "networks"), "default"), "ipam");
        var subnet = Scalar((YamlMappingNode)Seq(ipam, "config").Single(), "subnet")!;
        Assert.True(System.Net.IPNetwork.Parse(subnet).Contains(System.Net.IPAddress.Parse(nginxAddress)), $"nginx's {nginxAddress} is outside {subnet}");
        foreach (var name in new[] { "app1", "app2" })
        {
            Assert.Equal(nginxAddress, Scalar(Map(Map(services, name), "environment"), "ForwardedHeaders__KnownProxies"));
        }

        var volumes = Seq(nginx, "volumes").Select(v => ((YamlScalarNode)v).Value!).ToList();
        Assert.Contains("./nginx/self-signed-cert.sh:/docker-entrypoint.d/40-self-signed-cert.sh:ro", volumes);
        Assert.Contains(volumes, v => v.EndsWith(":/etc/nginx/certs", StringComparison.Ordinal));
        Assert.Contains("443:443", Seq(nginx, "ports").Select(p => ((YamlScalarNode)p).Value));
        var script = Path.Combine(Deploy, "nginx", "self-signed-cert.sh");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, "the nginx entrypoint skips scripts that are not executable");
        }

        var conf = File.ReadAllText(Path.Combine(Deploy, "nginx", "nginx.conf"));
        Assert.Contains("listen 443 ssl;", conf, StringComparison.Ordinal);
        Assert.Contains("ssl_certificate /etc/nginx/certs/tls.crt;", conf, StringComparison.Ordinal);
        Assert.Contains("ssl_certificate_key /etc/nginx/certs/tls.key;", conf, StringComparison.Ordinal);
        Assert.Contains("return 301 https://$host$request_uri;", conf, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", conf, StringComparison.Ordinal);
    }

    [Fact]
    public void K8s_ingress_serves_https_for_its_hosts_and_the_secret_ships_no_usable_admin_password()
    {
        var ingress = K8s("Ingress");
        var spec = Map(ingress, "spec");
        var tls = Assert.Single(Seq(spec, "tls").Cast<YamlMappingNode>());
        Assert.False(string.IsNullOrEmpty(Scalar(tls, "secretName")));
        var tlsHosts = Seq(tls, "hosts").Select(h => ((YamlScalarNode)h).Value).ToHashSet();
        Assert.All(Seq(spec, "rules").Cast<YamlMappingNode>(), rule => Assert.Contains(Scalar(rule, "host"), tlsHosts));

        var secret = Map(K8s("Secret"), "stringData");
        Assert.Equal(string.Empty, Scalar(secret, "admin-password"));
        var known = Seq(Container(K8s("Deployment")), "env").Cast<YamlMappingNode>().Single(e => Scalar(e, "name") == "ForwardedHeaders__KnownNetworks");
        Assert.True(System.Net.IPNetwork.TryParse(Scalar(known, "value"), out _));
    }

    [Fact]
    public void Readme_runs_the_image_with_a_named_volume_for_the_database()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

        Assert.Matches(@"docker run[^`]*-v ticketing-data:/app/App_Data", readme);
        Assert.Contains("VOLUME [\"/app/App_Data\"]", File.ReadAllText(Path.Combine(Repo.Root, "Dockerfile")), StringComparison.Ordinal);
    }

    /// <summary>The exec-form command of the Dockerfile's HEALTHCHECK.</summary>
    internal static string[] DockerfileHealthCheck()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Repo.Root, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var match = HealthCheckLine().Match(dockerfile);
        Assert.True(match.Success, "the Dockerfile has no HEALTHCHECK ... CMD [...]");
        return System.Text.Json.JsonSerializer.Deserialize<string[]>(match.Groups[1].Value)!;
    }

    /// <summary>Each setting must be one the app binds: the section name appears in its source.</summary>
    private static void AssertAppReads(IEnumerable<string> names)
    {
        var source = string.Join('\n', new[] { "Ticketing.Web", "Ticketing.Infrastructure" }
            .SelectMany(p => Directory.GetFiles(Path.Combine(Repo.Root, p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var known = new Dictionary<string, string[]>
        {
            ["Database__Provider"] = ["\"Database:Provider\""],
            ["ConnectionStrings__Ticketing"] = ["\"Ticketing\""],
            ["SignalR__Redis"] = ["\"SignalR:Redis\""],
            ["Stripe__SecretKey"] = ["GetSection(\"Stripe\")", "SecretKey"],
            ["Stripe__PublishableKey"] = ["GetSection(\"Stripe\")", "PublishableKey"],
            ["Stripe__WebhookSecret"] = ["GetSection(\"Stripe\")", "WebhookSecret"],
            ["Admin__Email"] = ["\"Admin:Email\""],
            ["Admin__Password"] = ["\"Admin:Password\""],
            ["Payments__AllowTestGateway"] = ["\"Payments:AllowTestGateway\""],
            ["ForwardedHeaders__KnownProxies"] = ["\"ForwardedHeaders:KnownProxies\""],
            ["ForwardedHeaders__KnownNetworks"] = ["\"ForwardedHeaders:KnownNetworks\""],
        };
        foreach (var name in names.Where(n => !n.StartsWith("ASPNETCORE_", StringComparison.Ordinal)))
        {
            Assert.True(known.TryGetValue(name, out var needles), $"{name} is not a setting the scale-out tests know the app reads");
            Assert.All(needles, n => Assert.True(source.Contains(n, StringComparison.Ordinal), $"{name}: the app's source never reads {n}"));
        }
    }

    private static YamlMappingNode K8s(string kind)
    {
        var docs = Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").SelectMany(Load).Select(Root).ToList();
        return Assert.Single(docs, d => Scalar(d, "kind") == kind);
    }

    private static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)Assert.Single(Seq(Map(Map(Map(deployment, "spec"), "template"), "spec"), "containers"));

    private static List<YamlDocument> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(file);
        stream.Load(reader);
        return stream.Documents.ToList();
    }

    private static YamlMappingNode Root(YamlDocument doc) => Assert.IsType<YamlMappingNode>(doc.RootNode);

    private static YamlMappingNode Map(YamlMappingNode node, string key) =>
        Merged(Assert.IsType<YamlMappingNode>(Get(node, key)));

    /// <summary>Applies YAML merge keys (<c>&lt;&lt;: *anchor</c>), which compose files use and the parser leaves as-is.</summary>
    private static YamlMappingNode Merged(YamlMappingNode node)
    {
        var mergeKey = new YamlScalarNode("<<");
        if (!node.Children.TryGetValue(mergeKey, out var merge))
        {
            return node;
        }

        var result = new YamlMappingNode();
        foreach (var (key, value) in Merged(Assert.IsType<YamlMappingNode>(merge)).Children)
        {
            result.Children[key] = value;
        }

        foreach (var (key, value) in node.Children.Where(c => !c.Key.Equals(mergeKey)))
        {
            result.Children[key] = value;
        }

        return result;
    }

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) =>
        Assert.IsType<YamlSequenceNode>(Get(node, key)).Children;

    private static string? Scalar(YamlMappingNode node, string key) =>
        Assert.IsType<YamlScalarNode>(Get(node, key)).Value;

    private static YamlNode Get(YamlMappingNode node, string key)
    {
        Assert.True(node.Children.TryGetValue(new YamlScalarNode(key), out var value), $"missing key '{key}' at {node.Start}");
        return value!;
    }

    [GeneratedRegex(@"upstream\s+\w+\s*\{[^}]*\}")]
    private static partial Regex UpstreamBlock();

    [GeneratedRegex(@"server\s+([\w.]+):(\d+)\s*;")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"^EXPOSE\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex ExposeLine();

    [GeneratedRegex(@"^HEALTHCHECK\b[^\n]*?\bCMD\s+(\[[^\n]*\])", RegexOptions.Multiline)]
    private static partial Regex HealthCheckLine();
}
