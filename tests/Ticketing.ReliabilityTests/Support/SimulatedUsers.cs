using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.ReliabilityTests.Support;

/// <summary>What a crowd of users saw: every status code, and the connection failures.</summary>
public sealed class LoadTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private long _requests;
    private long _connectionFailures;

    public long Requests => Interlocked.Read(ref _requests);

    public long ConnectionFailures => Interlocked.Read(ref _connectionFailures);

    public IReadOnlyCollection<string> ServerErrors => _serverErrors;

    public IReadOnlyDictionary<string, int> Counts => _counts;

    public void Record(string operation, HttpResponseMessage response, string body)
    {
        Interlocked.Increment(ref _requests);
        _counts.AddOrUpdate($"{operation} {(int)response.StatusCode}", 1, (_, n) => n + 1);
        if ((int)response.StatusCode >= 500)
        {
            _serverErrors.Enqueue($"{operation} -> {(int)response.StatusCode}: {Truncate(body)}");
        }
    }

    public void RecordConnectionFailure() => Interlocked.Increment(ref _connectionFailures);

    public int Count(string key) => _counts.TryGetValue(key, out var n) ? n : 0;

    public string Summary() => string.Join(", ", _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}"));

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}

/// <summary>
/// Users over real HTTP, each with its own cookie jar: list tickets, reserve others' tickets, pay
/// with a good or a declined card, cancel, or walk away and let the reservation expire.
/// </summary>
public sealed class SimulatedUsers : IDisposable
{
    private readonly List<HttpClient> _clients = [];
    private readonly List<Guid> _userIds = [];

    private SimulatedUsers()
    {
    }

    public int Count => _clients.Count;

    public static async Task<SimulatedUsers> SignUpAsync(Uri baseAddress, int count, int ticketsEach)
    {
        var users = new SimulatedUsers();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var handler = new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"load-{i}-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            for (var t = 0; t < ticketsEach; t++)
            {
                (await client.PostAsJsonAsync("/api/tickets", new { title = $"Seat {i}-{t}", price = 10 + t })).EnsureSuccessStatusCode();
            }

            lock (users._clients)
            {
                users._clients.Add(client);
                users._userIds.Add(id);
            }
        }));
        return users;
    }

    /// <summary>Every user loops through random actions until <paramref name="stop"/> fires.</summary>
    public Task RunAsync(int seed, LoadTally tally, CancellationToken stop) =>
        Task.WhenAll(_clients.Select((client, i) => Task.Run(() => RunUserAsync(client, _userIds[i], new Random(seed * 1_000 + i), tally, stop))));

    private static async Task RunUserAsync(HttpClient client, Guid userId, Random random, LoadTally tally, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await OneRoundAsync(client, userId, random, tally, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The server went away (it is killed on purpose); keep trying until told to stop.
                tally.RecordConnectionFailure();
                await Task.Delay(50, CancellationToken.None);
            }
            catch (TaskCanceledException)
            {
                tally.RecordConnectionFailure();
            }
            catch (JsonException)
            {
                // An unexpected body; its status code is already in the tally.
            }
        }
    }

    private static async Task OneRoundAsync(HttpClient client, Guid userId, Random random, LoadTally tally, CancellationToken stop)
    {
        if (random.Next(10) == 0)
        {
            await SendAsync(client, tally, "list", HttpMethod.Post, "/api/tickets", new { title = $"Seat {random.Next(100_000)}", price = random.Next(1, 500) }, stop);
            return;
        }

        var (_, listBody) = await SendAsync(client, tally, "browse", HttpMethod.Get, "/api/tickets?status=available", null, stop);
        var candidates = JsonDocument.Parse(listBody).RootElement.EnumerateArray()
            .Where(t => t.GetProperty("userId").GetGuid() != userId)
            .Select(t => t.GetProperty("id").GetGuid())
            .ToList();
        if (candidates.Count == 0)
        {
            await Task.Delay(20, stop);
            return;
        }

        var ticketId = candidates[random.Next(candidates.Count)];
        var (reserved, orderBody) = await SendAsync(client, tally, "reserve", HttpMethod.Post, "/api/orders", new { ticketId }, stop);
        if (reserved != HttpStatusCode.Created)
        {
            return;
        }

        var orderId = JsonDocument.Parse(orderBody).RootElement.GetProperty("id").GetGuid();
        switch (random.Next(10))
        {
            case < 4:
                await SendAsync(client, tally, "pay", HttpMethod.Post, "/api/payments", new { orderId, token = "tok_visa" }, stop);
                break;
            case < 6:
                var (declined, _) = await SendAsync(client, tally, "pay-declined", HttpMethod.Post, "/api/payments", new { orderId, token = "tok_chargeDeclined" }, stop);
                if (declined == HttpStatusCode.PaymentRequired && random.Next(2) == 0)
                {
                    await SendAsync(client, tally, "pay", HttpMethod.Post, "/api/payments", new { orderId, token = "tok_visa" }, stop);
                }

                break;
            case < 8:
                await SendAsync(client, tally, "cancel", HttpMethod.Delete, $"/api/orders/{orderId}", null, stop);
                break;
            default:
                // Walk away: the reservation expires.
                await SendAsync(client, tally, "view-order", HttpMethod.Get, $"/api/orders/{orderId}", null, stop);
                break;
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, LoadTally tally, string operation, HttpMethod method, string path, object? body, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, stop);
        var text = await response.Content.ReadAsStringAsync(stop);
        tally.Record(operation, response, text);
        return (response.StatusCode, text);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
