using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Tests.Support;
using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Email;

/// <summary>
/// The account e-mails as a real SMTP server receives them, and their links followed as a reader
/// would: the reset link sets a new password once, the link in the welcome confirms the address, a
/// confirmation asked for again arrives once however often it is asked for.
/// </summary>
public sealed partial class AccountEmailTests : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";

    private SmtpSink _sink = null!;
    private TicketingApp _app = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _app = Mailboxes.AppSendingTo(_sink, new Dictionary<string, string?> { ["Site:BaseUrl"] = "https://tickets.example.test" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task ForgotPassword_EmailsALink_WhosePageSetsANewPassword_Once()
    {
        var (_, email) = await _app.NewUserAsync("forgetful");
        using var browser = _app.CreateUserClient();

        var asked = await browser.PostAsJsonAsync("/api/users/forgotpassword", new { email });

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var message = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == email && m.Subject == "Reset your Ticketing password"));
        var link = LinkIn(message, "/account/reset-password");
        Assert.Equal("https://tickets.example.test", link.GetLeftPart(UriPartial.Authority));
        Assert.Contains("for 1 hour", message.Text());

        // The page the link opens, and its form, as the browser posts it.
        var changed = await PostFormAsync(browser, link, "reset-password", ("Input.Password", "a-brand-new-password"), ("Input.ConfirmPassword", "a-brand-new-password"));
        Assert.True(changed.Contains("Your password has been changed", StringComparison.Ordinal), changed);

        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(email, "a-brand-new-password")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await SignInAsync(email, Password)).StatusCode);

        // The same link again: refused, and the password stays.
        var again = await PostFormAsync(browser, link, "reset-password", ("Input.Password", "yet-another-password"), ("Input.ConfirmPassword", "yet-another-password"));
        Assert.Contains("data-state=\"reset-link-invalid\"", again);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(again, "expired or was already used"));
        var query = QueryHelpers.ParseQuery(link.Query);
        var api = await browser.PostAsJsonAsync("/api/users/resetpassword", new { userId = query["user"].ToString(), token = query["token"].ToString(), password = "yet-another-password" });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Contains("\"field\":\"token\"", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(email, "a-brand-new-password")).StatusCode);
    }

    [Fact]
    public async Task ForgotPassword_ForAnAddressNoAccountUses_AnswersTheSame_AndSendsNothing()
    {
        var (_, known) = await _app.NewUserAsync("known");
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        using var client = _app.CreateUserClient();

        var toUnknown = await client.PostAsJsonAsync("/api/users/forgotpassword", new { email = unknown });
        var toKnown = await client.PostAsJsonAsync("/api/users/forgotpassword", new { email = known });

        Assert.Equal((toKnown.StatusCode, await toKnown.Content.ReadAsStringAsync()), (toUnknown.StatusCode, await toUnknown.Content.ReadAsStringAsync()));
        await _sink.WaitForAsync(m => m.Recipient() == known && m.Subject == "Reset your Ticketing password");

        // Both requests handled (the unknown one first): it queued no e-mail.
        await using var db = _app.CreateDbContext();
        await TicketingApp.WaitUntilAsync(
            async () => await db.OutboxDeliveries.CountAsync(d => d.Handler == "SendPasswordResetOnRequest") >= 2,
            TimeSpan.FromSeconds(20),
            "both reset requests were handled");
        Assert.Empty(_sink.To(unknown));
        Assert.False(await db.Set<EmailMessage>().AnyAsync(m => m.Recipient == unknown));
    }

    [Fact]
    public async Task ResetLink_StopsWorkingWhenItsTimeIsUp()
    {
        await using var app = Mailboxes.AppSendingTo(_sink, new Dictionary<string, string?> { ["Accounts:PasswordResetSeconds"] = "2" });
        var (_, email) = await app.NewUserAsync("slow-reader");
        using var client = app.CreateUserClient();
        await client.PostAsJsonAsync("/api/users/forgotpassword", new { email });
        var message = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == email && m.Subject == "Reset your Ticketing password"));
        Assert.Contains("for 2 seconds", message.Text());
        var query = QueryHelpers.ParseQuery(LinkIn(message, "/account/reset-password").Query);

        // Identity's token records when it was made; past its lifespan it is refused however often it was used.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var late = await client.PostAsJsonAsync("/api/users/resetpassword", new { userId = query["user"].ToString(), token = query["token"].ToString(), password = "too-late-password" });

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("\"field\":\"token\"", await late.Content.ReadAsStringAsync());
        using var signIn = app.CreateUserClient();
        Assert.Equal(HttpStatusCode.OK, (await signIn.PostAsJsonAsync("/api/users/signin", new { email, password = Password })).StatusCode);
    }

    [Fact]
    public async Task ForgotPassword_DoesTheSameDatabaseWork_ForAKnownAndAnUnknownAddress()
    {
        var (_, known) = await _app.NewUserAsync("counted");
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var forKnown = await StatementsOfAsync(() => RequestResetAsync(known));
        var forUnknown = await StatementsOfAsync(() => RequestResetAsync(unknown));

        // The work is counted, not timed: the same statements, in the same order (parameters aside).
        Assert.NotEmpty(forKnown);
        Assert.Equal(forKnown, forUnknown);
        Assert.DoesNotContain(forKnown, sql => sql.Contains("AspNetUsers", StringComparison.OrdinalIgnoreCase));
    }

    private async Task RequestResetAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountRequests>().RequestPasswordResetAsync(email);
    }

    /// <summary>The SQL that <paramref name="work"/> runs, seen through EF's diagnostics in its own async flow (the app's background loops are not counted).</summary>
    private static async Task<List<string>> StatementsOfAsync(Func<Task> work)
    {
        var statements = new List<string>();
        using var watch = new SqlWatch(statements);

        // A context re-reads whether anyone listens to its commands at most once a second (EF Core's
        // logging cache time), and the app's contexts are pooled: one leased again keeps its last reading.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        SqlWatch.Watching.Value = true;
        try
        {
            await work();
        }
        finally
        {
            SqlWatch.Watching.Value = false;
        }

        lock (statements)
        {
            return [.. statements];
        }
    }

    [Fact]
    public async Task SignUp_WelcomeCarriesTheConfirmationLink_WhichConfirmsTheAddress()
    {
        var (_, id, email) = await _app.SignUpAsync($"newcomer-{Guid.NewGuid():N}@example.com", Password);

        var welcome = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == email));
        Assert.Equal("Welcome to Ticketing", welcome.Subject);
        var link = LinkIn(welcome, "/account/confirm-email");
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(link.ToString())}\"", welcome.Html());
        Assert.False(await IsConfirmedAsync(id));

        using var reader = _app.CreateUserClient();
        var page = await reader.GetStringAsync(link.PathAndQuery);

        Assert.Contains("Thank you: your email address is confirmed.", page);
        Assert.True(await IsConfirmedAsync(id));
    }

    [Fact]
    public async Task ConfirmationAskedForAgain_IsSentOncePerInterval_AndItsLinkConfirms()
    {
        var (_, id, email) = await _app.SignUpAsync($"forgot-to-confirm-{Guid.NewGuid():N}@example.com", Password);
        await _sink.WaitForAsync(m => m.Recipient() == email && m.Subject == "Welcome to Ticketing");

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var requests = scope.ServiceProvider.GetRequiredService<AccountRequests>();
            for (var i = 0; i < 5; i++)
            {
                await requests.RequestEmailConfirmationAsync(id);
            }
        }

        var message = Assert.Single(await _sink.WaitForAsync(m => m.Recipient() == email && m.Subject == "Confirm your e-mail address"));
        await using (var db = _app.CreateDbContext())
        {
            await TicketingApp.WaitUntilAsync(
                async () => await db.OutboxDeliveries.CountAsync(d => d.Handler == "SendConfirmationOnRequest") >= 5,
                TimeSpan.FromSeconds(20),
                "the five requests were handled");
            Assert.Equal(1, await db.Set<EmailMessage>().CountAsync(m => m.Recipient == email && m.Key.StartsWith("EmailConfirmation:")));
        }

        Assert.Single(_sink.To(email), m => m.Subject == "Confirm your e-mail address");
        using var reader = _app.CreateUserClient();
        Assert.Contains("Thank you: your email address is confirmed.", await reader.GetStringAsync(LinkIn(message, "/account/confirm-email").PathAndQuery));
        Assert.True(await IsConfirmedAsync(id));
    }

    private async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        using var client = _app.CreateUserClient();
        return await client.PostAsJsonAsync("/api/users/signin", new { email, password });
    }

    private async Task<bool> IsConfirmedAsync(Guid id)
    {
        await using var db = _app.CreateDbContext();
        return await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.EmailConfirmed).SingleAsync();
    }

    /// <summary>The link to <paramref name="path"/> in the e-mail's plain text (on a line of its own).</summary>
    private static Uri LinkIn(MimeMessage message, string path)
    {
        var match = Regex.Match(message.Text(), $@"^https?://\S+{Regex.Escape(path)}\?\S+$", RegexOptions.Multiline);
        Assert.True(match.Success, $"No {path} link in: {message.Text()}");
        return new Uri(match.Value.Trim());
    }

    /// <summary>Opens the page at <paramref name="link"/> and posts its form back with its hidden fields (antiforgery, handler, link values) and <paramref name="fields"/>.</summary>
    private static async Task<string> PostFormAsync(HttpClient browser, Uri link, string handler, params (string Name, string Value)[] fields)
    {
        var page = await browser.GetStringAsync(link.PathAndQuery);
        var form = InputTag().Matches(page)
            .Select(m => m.Value)
            .Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .Select(tag => new KeyValuePair<string, string>(Attribute(tag, "name"), Attribute(tag, "value")))

            // The layout's sign-out form carries an antiforgery token too: one is posted, as a browser posts one form.
            .DistinctBy(f => f.Key)
            .Where(f => f.Key != "_handler")
            .Append(new("_handler", handler))
            .Concat(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        var response = await browser.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(form));
        return await response.Content.ReadAsStringAsync();
    }

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\b{name}=\"(?<value>[^\"]*)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["value"].Value) : string.Empty;

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    private sealed class SqlWatch : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        public static readonly AsyncLocal<bool> Watching = new();

        private readonly List<string> _statements;
        private readonly List<IDisposable> _subscriptions = [];

        public SqlWatch(List<string> statements)
        {
            _statements = statements;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this, name => name == RelationalEventId.CommandExecuted.Name));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Watching.Value && value.Value is CommandExecutedEventData executed)
            {
                lock (_statements)
                {
                    _statements.Add(executed.Command.CommandText);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
