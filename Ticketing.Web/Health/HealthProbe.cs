namespace Ticketing.Web.Health;

/// <summary>
/// <c>dotnet Ticketing.Web.dll --health-probe http://127.0.0.1:8080/health/ready</c>: asks a running
/// instance for its health and exits 0 on 200, 1 otherwise. The aspnet container image has neither
/// curl nor wget, so the Dockerfile's HEALTHCHECK and the compose file use the app itself.
/// </summary>
public static class HealthProbe
{
    public const string Switch = "--health-probe";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Switch;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"usage: {Switch} http://host:port/health/ready");
            return 2;
        }

        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url);
            Console.WriteLine($"{url} answered {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url} did not answer: {ex.Message}");
            return 1;
        }
    }
}
