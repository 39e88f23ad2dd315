using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.BrowserTests;

/// <summary>
/// A tab that went away without saying so (its disconnect beacon never arrived: a crash, a lost
/// network) leaves its circuit running for a while, in case it comes back. When that account is
/// deleted meanwhile, revalidation signs the circuit out and its page asks to be loaded again (the
/// server would then send it to the sign-in page). With nobody there to load anything, that is the normal end of a closed tab: no error, no
/// stack trace in the log.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClosedTabSignOutTests : IAsyncLifetime
{
    /// <summary>
    /// How long a call to the browser waits for its answer (a minute by default): shortened so that
    /// a navigation sent to the missing tab would time out, and be logged, within the test.
    /// </summary>
    private static readonly TimeSpan BrowserCallTimeout = TimeSpan.FromSeconds(2);

    private const string Reloading = "reloading the page for the browser's cookie";

    private readonly LogCapture _logs = new();
    private readonly BrowserSession _session;
    private readonly ITestOutputHelper _output;

    public ClosedTabSignOutTests(BrowserFixture browser, ITestOutputHelper output)
    {
        _output = output;
        _session = new BrowserSession(
            browser,
            Pages.Settings(
                ("Identity:RevalidationSeconds", "1"),
                ($"Logging:LogLevel:{typeof(Web.Components.Shared.CircuitConnection).FullName}", "Debug")),
            services: services =>
            {
                services.AddSingleton<ILoggerProvider>(_logs);
                services.Configure<CircuitOptions>(o => o.JSInteropDefaultCallTimeout = BrowserCallTimeout);
            });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task Deleting_the_account_of_a_closed_tab_signs_its_circuit_out_without_logging_an_error()
    {
        var page = await _session.NewPageAsync();
        var email = await Pages.RegisterAsync(page);
        await Pages.GoToInteractiveAsync(page, "/orders");

        // The network goes, then the tab: its disconnect beacon never leaves, and the circuit only
        // sees its connection drop.
        await page.Context.SetOfflineAsync(true);
        await page.CloseAsync();

        await DeleteAccountAsync(email);

        // Revalidation (every second here) signs the circuit out and its page asks to be loaded again.
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(_logs.Entries.Any(e => e.Message.Contains(Reloading, StringComparison.Ordinal) || IsProblem(e))),
            TimeSpan.FromSeconds(20),
            "the signed-out circuit asks to reload its page, or something is logged as a problem");

        // Long enough for a navigation sent to the missing tab to time out.
        await Task.Delay(BrowserCallTimeout * 2);

        foreach (var entry in _logs.Entries.Where(e => e.Level >= LogLevel.Debug && e.Category.StartsWith("Ticketing", StringComparison.Ordinal)))
        {
            _output.WriteLine(entry.ToString());
        }

        var problems = _logs.Entries.Where(IsProblem).ToList();
        Assert.True(problems.Count == 0, $"logged as problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => $"{p}{Environment.NewLine}{p.Exception}"))}");
        Assert.Contains(_logs.Entries, e => e.Message.Contains($"is away: {Reloading}", StringComparison.Ordinal));
    }

    private async Task DeleteAccountAsync(string email)
    {
        using var owner = _session.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = _session.App.BaseAddress, HandleCookies = true });
        (await owner.PostAsJsonAsync("/api/users/signin", new { email, password = Pages.Password })).EnsureSuccessStatusCode();
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/users/currentuser") { Content = JsonContent.Create(new { password = Pages.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await owner.SendAsync(delete)).StatusCode);
    }

    /// <summary>An error, or a warning that carries an exception (a stack trace in the log).</summary>
    private static bool IsProblem(LogCapture.Entry entry) =>
        entry.Level >= LogLevel.Error || (entry.Level == LogLevel.Warning && entry.Exception is not null);
}
