using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Testing;
using Ticketing.Infrastructure.Identity;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary>The calls and checks the delivery tests share.</summary>
internal static class DeliveryCalls
{
    public static HttpRequestMessage Upload(Guid ticketId, byte[] content, string contentType = "application/pdf", string? fileName = "ticket.pdf")
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (fileName is not null)
        {
            body.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName };
        }

        return new HttpRequestMessage(HttpMethod.Put, $"/api/tickets/{ticketId}/file") { Content = body };
    }

    public static async Task AttachAsync(this HttpClient seller, Guid ticketId, byte[] content, string contentType = "application/pdf", string fileName = "ticket.pdf")
    {
        var response = await seller.SendAsync(Upload(ticketId, content, contentType, fileName));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A seller's listing with a file, sold to a buyer who paid.</summary>
    public static async Task<(HttpClient Seller, HttpClient Buyer, TicketDto Ticket, OrderDto Order)> SoldTicketAsync(this TicketingApp app, byte[]? file = null)
    {
        var (seller, _, _) = await app.SignUpAsync();
        var (buyer, _, _) = await app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Night of the Proms, row 4");
        if (file is not null)
        {
            await seller.AttachAsync(ticket.Id, file);
        }

        var order = await buyer.ReserveAsync(ticket.Id);
        await buyer.PayAsync(order.Id);
        return (seller, buyer, ticket, order);
    }

    /// <summary>A signed-in user with the Scanner role, granted as an admin grants it.</summary>
    public static async Task<HttpClient> ScannerAsync(this TicketingApp app)
    {
        var (_, _, email) = await app.SignUpAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Infrastructure.Identity.ScannerRoles>().GrantAsync(email);
        }

        // The role is in the cookie from the next sign-in on.
        var client = app.CreateUserClient();
        var signIn = await client.PostAsJsonAsync("/api/users/signin", new { email, password = "correct-horse-battery" });
        signIn.EnsureSuccessStatusCode();
        return client;
    }

    public static Task<HttpResponseMessage> CheckInAsync(this HttpClient scanner, string code) =>
        scanner.PostAsJsonAsync("/api/checkins", new { code });

    /// <summary>Every row a ticket file can leave behind, and the files of a folder store.</summary>
    public static async Task<(int Files, int Contents, int FolderFiles)> StoredAsync(TicketingApp app, string? folder = null)
    {
        await using var db = app.CreateDbContext();
        var folderFiles = folder is not null && Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length : 0;
        return (await db.Set<TicketFile>().CountAsync(), await db.Set<StoredTicketFile>().CountAsync(), folderFiles);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
