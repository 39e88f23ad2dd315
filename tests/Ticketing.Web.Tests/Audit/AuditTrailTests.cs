using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Audit;
using Ticketing.Testing;
using Ticketing.Web.Tests.Api;
using Ticketing.Web.Tests.Api.Delivery;

namespace Ticketing.Web.Tests.Audit;

/// <summary>
/// The audit trail as the API's users write it: every step of an order's and a listing's life, in
/// order, with who took it (buyer, seller, admin, expiry, the gateway's answer).
/// </summary>
public sealed partial class AuditTrailTests(AuditTrailTests.Fixture fixture) : IClassFixture<AuditTrailTests.Fixture>
{
    private readonly TicketingApp _app = fixture.App;

    private AuditTrailReader Trail => _app.Services.CreateScope().ServiceProvider.GetRequiredService<AuditTrailReader>();

    [Fact]
    public async Task FullOrderLife_ReserveDeclinePayRefund_ShowsEveryStepInOrder_WithItsActor()
    {
        var (seller, _, sellerEmail) = await _app.SignUpAsync();
        var (buyer, _, buyerEmail) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Full life", 60m);
        var order = await buyer.ReserveAsync(ticket.Id);
        var declined = await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_chargeDeclined" });
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        await buyer.PayAsync(order.Id);
        using var admin = await _app.SignInAdminAsync();
        var refund = await admin.PostAsJsonAsync($"/api/orders/{order.Id}/refund", new { reason = "Show postponed", ticket = "relist" });
        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);

        var steps = (await Trail.ForOrderAsync(order.Id, 0, 100)).Items;

        Assert.Equal(
            [
                (AuditStep.Reserved, AuditActor.Buyer, buyerEmail),
                (AuditStep.PaymentStarted, AuditActor.Buyer, buyerEmail),
                (AuditStep.PaymentDeclined, AuditActor.Gateway, null),
                (AuditStep.PaymentStarted, AuditActor.Buyer, buyerEmail),
                (AuditStep.Paid, AuditActor.Gateway, null),
                (AuditStep.Refunded, AuditActor.Admin, TicketingApp.AdminEmail),
                (AuditStep.MoneyReturned, AuditActor.Gateway, null),
            ],
            steps.Select(s => (s.Step, s.Actor, s.ActorEmail)));
        Assert.Equal(steps.OrderBy(s => s.OccurredAt).Select(s => s.Id), steps.Select(s => s.Id));
        Assert.All(steps, s => Assert.Equal((order.Id, (Guid?)ticket.Id), (s.OrderId!.Value, s.TicketId)));
        Assert.Contains("$60.00", steps[0].Detail);
        Assert.Contains("Show postponed", steps[5].Detail);
        Assert.Contains("back on sale", steps[5].Detail);
        Assert.Contains("$60.00 returned", steps[6].Detail);

        // The listing's trail tells the same story after its own first step.
        var listing = (await Trail.ForListingAsync(ticket.Id, 0, 100)).Items;
        Assert.Equal((AuditStep.Listed, AuditActor.Seller, sellerEmail), (listing[0].Step, listing[0].Actor, listing[0].ActorEmail));
        Assert.Equal(steps.Select(s => s.Id), listing.Skip(1).Select(s => s.Id));
    }

    [Fact]
    public async Task ListingSteps_NameTheSellerOrTheAdmin_WhoeverTookThem()
    {
        var (seller, _, sellerEmail) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Edited twice", 20m);
        Assert.Equal(HttpStatusCode.OK, (await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Edited once", price = 21 })).StatusCode);
        using var admin = await _app.SignInAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Edited twice", price = 22 })).StatusCode);

        var steps = (await Trail.ForListingAsync(ticket.Id, 0, 100)).Items;

        Assert.Equal(
            [
                (AuditStep.Listed, AuditActor.Seller, sellerEmail),
                (AuditStep.Edited, AuditActor.Seller, sellerEmail),
                (AuditStep.Edited, AuditActor.Admin, TicketingApp.AdminEmail),
            ],
            steps.Select(s => (s.Step, s.Actor, s.ActorEmail)));
        Assert.Contains("$22.00", steps[2].Detail);
    }

    [Fact]
    public async Task TicketFileSteps_SayWhatChanged_AndTheFileARefundTookOff_IsTheRefundersStep_NotTheSellers()
    {
        var (seller, _, sellerEmail) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("With a file", 30m);
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("Admit one"));
        var order = await buyer.ReserveAsync(ticket.Id);
        await buyer.PayAsync(order.Id);
        using var admin = await _app.SignInAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/orders/{order.Id}/refund", new { reason = "Seat double-booked", ticket = "relist" })).StatusCode);

        // The file goes once the refund has committed.
        IReadOnlyList<AuditStepView> steps = [];
        await TicketingApp.WaitUntilAsync(
            async () => (steps = (await Trail.ForListingAsync(ticket.Id, 0, 100)).Items).Count(s => s.Step == AuditStep.Edited) == 2,
            TimeSpan.FromSeconds(15),
            "the file taken off is on the listing's trail");

        var attached = steps.First(s => s.Step == AuditStep.Edited);
        Assert.Equal((AuditActor.Seller, sellerEmail, "Ticket file attached"), (attached.Actor, attached.ActorEmail, attached.Detail));
        var takenOff = steps.Last(s => s.Step == AuditStep.Edited);
        Assert.Equal((AuditActor.Admin, TicketingApp.AdminEmail), (takenOff.Actor, takenOff.ActorEmail));
        Assert.StartsWith("Ticket file taken off with the refund", takenOff.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellations_NameTheBuyerTheAdminOrTheExpiry()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, buyerEmail) = await _app.SignUpAsync();
        var byBuyer = await buyer.ReserveAsync((await seller.ListTicketAsync("Mine to cancel")).Id);
        var byAdmin = await buyer.ReserveAsync((await seller.ListTicketAsync("Admin cancels")).Id);
        using var admin = await _app.SignInAdminAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAsync($"/api/orders/{byBuyer.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/orders/{byAdmin.Id}")).StatusCode);

        Assert.Equal((AuditStep.Cancelled, AuditActor.Buyer, buyerEmail), Last(await Trail.ForOrderAsync(byBuyer.Id, 0, 100)));
        Assert.Equal((AuditStep.Cancelled, AuditActor.Admin, TicketingApp.AdminEmail), Last(await Trail.ForOrderAsync(byAdmin.Id, 0, 100)));
    }

    [Fact]
    public async Task Search_ByOrderIdTicketIdOrEmail_FindsTheSteps_NewestFirst()
    {
        var (seller, _, sellerEmail) = await _app.SignUpAsync();
        var (buyer, _, buyerEmail) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Searchable", 15m);
        var order = await buyer.ReserveAsync(ticket.Id);
        await buyer.PayAsync(order.Id);

        var byOrder = (await Trail.SearchAsync(order.Id.ToString(), 0, 100)).Items;
        var byTicket = (await Trail.SearchAsync(ticket.Id.ToString(), 0, 100)).Items;
        var byBuyer = (await Trail.SearchAsync(buyerEmail.ToUpperInvariant(), 0, 100)).Items;
        var bySellerPart = (await Trail.SearchAsync(sellerEmail.Split('@')[0], 0, 100)).Items;

        Assert.Equal([AuditStep.Paid, AuditStep.PaymentStarted, AuditStep.Reserved], byOrder.Select(s => s.Step));
        Assert.Equal([AuditStep.Paid, AuditStep.PaymentStarted, AuditStep.Reserved, AuditStep.Listed], byTicket.Select(s => s.Step));
        Assert.Equal(byOrder.Select(s => s.Id), byBuyer.Select(s => s.Id));
        Assert.Equal(byTicket.Select(s => s.Id), bySellerPart.Select(s => s.Id));
        Assert.Empty((await Trail.SearchAsync("nobody-at-all@example.com", 0, 100)).Items);
        Assert.Empty((await Trail.SearchAsync(new string('x', 300), 0, 100)).Items);
    }

    [Fact]
    public async Task EnglishDetail_ReadsAsBefore_WrittenFromTheTemplateAndArgumentsThePagesTranslate()
    {
        var (seller, _, _) = await _app.SignUpAsync();
        var (buyer, _, _) = await _app.SignUpAsync();
        var ticket = await seller.ListTicketAsync("Byte for byte", 1250.5m);
        Assert.Equal(HttpStatusCode.OK, (await seller.PutAsJsonAsync($"/api/tickets/{ticket.Id}", new { title = "Byte for byte, row 2", price = 1300 })).StatusCode);
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("first"));
        await seller.AttachAsync(ticket.Id, SampleTicketFiles.Pdf("second"));
        Assert.Equal(HttpStatusCode.NoContent, (await seller.DeleteAsync($"/api/tickets/{ticket.Id}/file")).StatusCode);
        var order = await buyer.ReserveAsync(ticket.Id);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await buyer.PostAsJsonAsync("/api/payments", new { orderId = order.Id, token = "tok_chargeDeclined" })).StatusCode);
        await buyer.PayAsync(order.Id);
        using var admin = await _app.SignInAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/orders/{order.Id}/refund", new { reason = "Show postponed", ticket = "withdraw" })).StatusCode);
        var byBuyer = await buyer.ReserveAsync((await seller.ListTicketAsync("Cancelled by its buyer")).Id);
        var byAdmin = await buyer.ReserveAsync((await seller.ListTicketAsync("Cancelled by an admin")).Id);
        Assert.Equal(HttpStatusCode.NoContent, (await buyer.DeleteAsync($"/api/orders/{byBuyer.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/orders/{byAdmin.Id}")).StatusCode);

        var steps = (await Trail.ForListingAsync(ticket.Id, 0, 100)).Items;
        var until = order.ExpiresAt.UtcDateTime.ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture);

        // The sentences as the trail wrote them before it kept their templates, to the byte.
        Assert.Equal(
            [
                "Listed “Byte for byte” at $1,250.50",
                "Now “Byte for byte, row 2” at $1,300.00",
                "Ticket file attached",
                "Ticket file replaced",
                "Ticket file removed",
                $"Reserved at $1,300.00 until {until} UTC",
                "Payment started",
                "The payment took no money (declined, or the provider could not complete it); the order can be paid again",
                "Waiting for the provider to confirm the payment (*)",
                "Paid $1,300.00 (*); the ticket is sold",
                "Show postponed; the ticket is withdrawn",
                "$1,300.00 returned to the buyer (*)",
            ],
            steps.Where(s => s.Step != AuditStep.Withdrawn).Select(s => References().Replace(s.Detail, "(*)")));
        Assert.Matches(@"^Paid \$1,300\.00 \(\S+\); the ticket is sold$", steps.Single(s => s.Step == AuditStep.Paid).Detail);
        Assert.Equal(
            "Cancelled by the buyer; the ticket is back on sale",
            (await Trail.ForOrderAsync(byBuyer.Id, 0, 100)).Items[^1].Detail);
        Assert.Equal(
            "Cancelled by an admin; the ticket is back on sale",
            (await Trail.ForOrderAsync(byAdmin.Id, 0, 100)).Items[^1].Detail);

        // Each detail is what its template and arguments write in English: the one source the admin's pages translate.
        var all = steps.Concat((await Trail.ForOrderAsync(byBuyer.Id, 0, 100)).Items).Concat((await Trail.ForOrderAsync(byAdmin.Id, 0, 100)).Items).ToList();
        Assert.All(all, s => Assert.Equal(s.Detail, Assert.IsType<AuditText>(s.Text).English));
        Assert.Equal(AuditTemplates.Reserved, steps.Single(s => s.Step == AuditStep.Reserved).Text!.Template);
        Assert.Equal(
            [new AuditMoney(1300m, "usd"), new AuditInstant(order.ExpiresAt)],
            steps.Single(s => s.Step == AuditStep.Reserved).Text!.Args);
        Assert.Equal([new AuditPlain("Show postponed")], steps.Single(s => s.Step == AuditStep.Refunded).Text!.Args);
    }

    [Fact]
    public void EveryDomainEvent_IsRecordedOrSaysWhyNot()
    {
        var events = typeof(Ticketing.Domain.Common.IDomainEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Ticketing.Domain.Common.IDomainEvent).IsAssignableFrom(t))
            .ToHashSet();

        Assert.Equal(events, AuditTrail.RecordedEvents.Concat(AuditTrail.NotRecorded.Keys).ToHashSet());
        Assert.Empty(AuditTrail.RecordedEvents.Intersect(AuditTrail.NotRecorded.Keys));
    }

    private static (AuditStep, AuditActor, string?) Last(Ticketing.Infrastructure.Admin.AdminPage<AuditStepView> page) =>
        (page.Items[^1].Step, page.Items[^1].Actor, page.Items[^1].ActorEmail);

    // A provider's reference in brackets, e.g. "(pi_3Nx…)" or "(re_…)".
    [System.Text.RegularExpressions.GeneratedRegex(@"\((?:pi|re|ch|test)_[^)]*\)")]
    private static partial System.Text.RegularExpressions.Regex References();

    public sealed class Fixture() : AppFixture(("Ordering:MaxLiveOrdersPerBuyer", "100"));
}
