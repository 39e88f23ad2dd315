using System.Net;
using Ticketing.Testing;

namespace Ticketing.Web.Tests.Api.Delivery;

/// <summary>A folder outside the web root (<c>Storage:Provider=Folder</c>), with a sub-folder per key prefix.</summary>
public sealed class FolderStorageFixture() : AppFixture(("Storage:Provider", "Folder"), ("Storage:Folder", Folder))
{
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "ticketing-tests", $"files-{Guid.NewGuid():N}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

public sealed class FolderStorageTests(FolderStorageFixture fixture) : IClassFixture<FolderStorageFixture>
{
    private readonly TicketingApp _app = fixture.App;

    [Fact]
    public async Task Folder_KeepsTheBytesOutOfTheDatabase_AndReplacesWithoutLeftovers()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();

        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("first"));
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Jpeg(), "image/jpeg", "seat.jpg");
        var order = await buyer.ReserveAsync(ticket.Id);
        await buyer.PayAsync(order.Id);

        var (files, contents, folderFiles) = await DeliveryCalls.StoredAsync(_app, FolderStorageFixture.Folder);
        Assert.Equal((1, 0, 1), (files, contents, folderFiles));
        Assert.Equal(SampleTicketFiles.Jpeg(), await buyer.GetByteArrayAsync($"/api/orders/{order.Id}/ticket"));
    }

    [Fact]
    public async Task Folder_BadInput_LeavesNoFileBehind()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync();
        var before = await DeliveryCalls.StoredAsync(_app, FolderStorageFixture.Folder);

        var disguised = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.Executable()));
        var truncated = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, SampleTicketFiles.TruncatedPdf()));
        var huge = await seller.SendAsync(DeliveryCalls.Upload(ticket.Id, new byte[50 * 1024 * 1024]));

        await disguised.AssertErrorAsync(HttpStatusCode.BadRequest, field: "file");
        await truncated.AssertErrorAsync(HttpStatusCode.BadRequest, field: "file");
        await huge.AssertErrorAsync(HttpStatusCode.RequestEntityTooLarge, field: "file");
        Assert.Equal(before, await DeliveryCalls.StoredAsync(_app, FolderStorageFixture.Folder));
    }
}
