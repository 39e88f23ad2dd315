using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Security;

/// <summary>
/// An unknown email costs the same work as a wrong password — one password check — so the response
/// time does not tell who has an account.
/// </summary>
public sealed class SignInWorkTests : IAsyncDisposable
{
    private const string Password = "correct-horse-battery";
    private readonly TicketingApp _app = new();
    private readonly CountingPasswordHasher.Tally _tally = new();

    [Fact]
    public async Task UnknownEmail_CostsOnePasswordCheck_LikeAWrongPassword()
    {
        var factory = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s
            .AddSingleton(_tally)
            .AddScoped<IPasswordHasher<AppUser>, CountingPasswordHasher>()));
        using var client = factory.CreateClient();
        var email = $"ada-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/users/signup", new { email, password = Password })).StatusCode);

        var wrongPassword = await ChecksForAsync(client, email, "wrong-password");
        var unknownEmail = await ChecksForAsync(client, "nobody-" + email, "wrong-password");

        Assert.Equal(1, wrongPassword);
        Assert.Equal(wrongPassword, unknownEmail);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> ChecksForAsync(HttpClient client, string email, string password)
    {
        var before = Volatile.Read(ref _tally.Checks);
        var response = await client.PostAsJsonAsync("/api/users/signin", new { email, password });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return Volatile.Read(ref _tally.Checks) - before;
    }
}
