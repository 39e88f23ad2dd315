using System.Net.Http.Json;

namespace Ticketing.Web.Tests.Api.Users;

/// <summary>The account calls the account tests share.</summary>
public static class AccountCalls
{
    public static Task<HttpResponseMessage> DeleteAccountAsync(this HttpClient client, string password) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/users/currentuser") { Content = JsonContent.Create(new { password }) });
}
