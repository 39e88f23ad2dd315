using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Persistence;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Tickets;

/// <summary>
/// The app with its listing queries counted: a response that ran no query came from the cache.
/// Everything goes through <see cref="Host"/>, one instance; <see cref="AppFixture.App"/> only owns
/// the database file.
/// </summary>
public sealed class ListQueryFixture : AppFixture
{
    public ListQueryFixture()
    {
        Host = App.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<SqliteTicketingDbContext>(o => o.AddInterceptors(Queries))));
    }

    public ListQueryCounter Queries { get; } = new();

    public WebApplicationFactory<Program> Host { get; }

    public HttpClient NewClient() =>
        Host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    public async Task<(HttpClient Client, Guid UserId)> SignUpAsync()
    {
        var client = NewClient();
        var response = await client.PostAsJsonAsync("/api/users/signup", new { email = $"user-{Guid.NewGuid():N}@example.com", password = "correct-horse-battery" });
        response.EnsureSuccessStatusCode();
        return (client, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    /// <summary>
    /// Waits until the dispatcher has finished every event and the e-mails they queued are sent (each
    /// send is a commit of its own): from then on nothing commits on its own.
    /// </summary>
    public Task SettleAsync() =>
        TicketingApp.WaitUntilAsync(
            async () =>
            {
                await using var db = Host.Services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContext();
                return !await db.OutboxMessages.AnyAsync(m => m.ProcessedAt == null)
                    && !await db.Set<EmailMessage>().AnyAsync(m => m.DueAt != null);
            },
            TimeSpan.FromSeconds(30),
            "every outbox message is processed and every e-mail sent");

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>Counts the queries that read the whole market (the list, newest first).</summary>
public sealed class ListQueryCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        CountIfList(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        CountIfList(command);
        return ValueTask.FromResult(result);
    }

    private void CountIfList(DbCommand command)
    {
        if (command.CommandText.Contains("FROM \"tickets\"", StringComparison.Ordinal)
            && command.CommandText.Contains("ORDER BY \"t\".\"CreatedAt\" DESC", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
