using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Identity;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>
/// Sign-ups for one address at the same moment, through the API and through the sign-up page's use
/// case at once: one account, and every other attempt told the address is in use, whichever check
/// (the lookup, or the unique user name at insert) caught it.
/// </summary>
public sealed class SignUpRaceTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const int AttemptsPerPath = 8;
    private const string Password = "correct-horse-battery";

    private readonly TicketingApp _app = fixture.App;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task OneEmail_SignedUpAtOnceThroughApiAndPage_MakesOneAccount_TheOthersHearEmailInUse(int round)
    {
        var email = $"race-{round}-{Guid.NewGuid():N}@example.com";
        var clients = Enumerable.Range(0, AttemptsPerPath).Select(_ => _app.CreateUserClient()).ToList();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var viaApi = clients.Select(client => Task.Run(async () =>
        {
            await go.Task;
            return await client.PostAsJsonAsync("/api/users/signup", new { email, password = Password });
        })).ToList();
        var viaPage = Enumerable.Range(0, AttemptsPerPath).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return await SignUpAsTheRegisterPageDoesAsync(email);
        })).ToList();
        go.SetResult();
        var apiResponses = await Task.WhenAll(viaApi);
        var pageResults = await Task.WhenAll(viaPage);

        Assert.Equal(1, apiResponses.Count(r => r.StatusCode == HttpStatusCode.Created) + pageResults.Count(r => r.Succeeded));
        foreach (var refused in apiResponses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertErrorAsync(HttpStatusCode.BadRequest, "Email in use", "email");
        }

        Assert.All(pageResults.Where(r => !r.Succeeded), r => Assert.True(r.EmailInUse, string.Join("; ", r.Errors)));
        await using var db = _app.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        clients.ForEach(c => c.Dispose());
    }

    /// <summary>What the sign-up form's submit runs: the Accounts use case in a request's scope, signing in on its HttpContext.</summary>
    private async Task<SignUpResult> SignUpAsTheRegisterPageDoesAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        return await scope.ServiceProvider.GetRequiredService<Ticketing.Infrastructure.Identity.Accounts>().SignUpAsync(email, Password);
    }
}
