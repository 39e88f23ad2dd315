using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Domain.Common;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Payments;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Payments;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>
/// Cards taken by the order page's Payment Element, end to end against the Stripe stub: the card
/// becomes a ConfirmationToken at "Stripe", the app confirms the order's one PaymentIntent with it,
/// 3-D Secure is answered at the test bank, and the stub's own signed webhooks settle the order.
/// </summary>
public sealed class CardPaymentTests : StripeMarketTests
{
    private const string PaymentFailed = "payment_intent.payment_failed";

    private readonly OrderReadCounter _reads = new();

    internal override OrderReadCounter Reads => _reads;

    [Fact]
    public async Task ThreeDSecure_PassedAtTheBank_CompletesTheOrderOnlyWhenStripesWebhookArrives()
    {
        var (buyer, ticket, orderId) = await Market.ReservedAsync();
        var hold = Stub.HoldWebhooks();

        var started = await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure);

        Assert.Equal(PaymentOutcome.Pending, started.Outcome);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal(("requires_action", intent.Id), (intent.Status, started.ProviderReference));
        Assert.StartsWith($"{intent.Id}_secret_", started.ActionSecret);
        Assert.Equal((OrderStatus.AwaitingPayment, PaymentAttemptState.AwaitingConfirmation), await Market.OrderStateAsync(orderId));

        Stub.CompleteChallenge(intent.Id);

        // The bank said yes at Stripe; the order moves when Stripe tells the app, not before.
        Assert.Equal("succeeded", Stub.Intent(intent.Id).Status);
        Assert.Equal((OrderStatus.AwaitingPayment, PaymentAttemptState.AwaitingConfirmation), await Market.OrderStateAsync(orderId));

        hold.Release();
        await Market.WaitForOrderAsync(orderId, OrderStatus.Complete);
        Assert.Equal(TicketStatus.Sold, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
        Assert.Equal(intent.Id, Assert.Single(await App.Services.PaymentsOfAsync(orderId)).ProviderReference);
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task ThreeDSecure_FailedAtTheBank_MakesTheOrderPayableAgain_AndTheNextCardPaysTheSameIntent()
    {
        var (buyer, ticket, orderId) = await Market.ReservedAsync();
        await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure);
        var intent = Assert.Single(Stub.IntentsFor(orderId));

        Stub.FailChallenge(intent.Id);

        await Market.WaitForOrderAsync(orderId, OrderStatus.Created);
        var released = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal((PaymentAttemptState.None, intent.Id, 3), (released.PaymentAttempt, released.PaymentReference, released.Version));
        Assert.Equal(TicketStatus.Reserved, (await App.Services.ReadTicketAsync(ticket.Id)).Status);

        var paid = await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.Visa);

        // Stripe's webhook may have applied the money before the confirm's answer came back.
        Assert.Contains(paid.Outcome, new[] { PaymentOutcome.Completed, PaymentOutcome.AlreadyApplied });
        Assert.Equal((intent.Id, (RefundReason?)null), (paid.ProviderReference, paid.RefundReason));
        Assert.Equal("succeeded", Assert.Single(Stub.IntentsFor(orderId)).Status);
        Assert.Equal(2, Stub.ConfirmRequests);
        await Stub.WebhooksDeliveredAsync();
        Assert.Equal(OrderStatus.Complete, (await App.Services.ReadOrderAsync(orderId)).Status);
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task StripeCalls_CarryTheOrdersAmountCurrencyAndId_AndAKeyFromItsPaymentAttempt()
    {
        var (buyer, _, orderId) = await Market.ReservedAsync(price: 37.50m, title: "Floor, night two");
        var first = await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure);
        await Market.PayAsync(buyer, orderId, first);
        var firstAttempt = (await App.Services.ReadOrderAsync(orderId)).PaymentAttemptId!.Value;
        Stub.FailChallenge(Assert.Single(Stub.IntentsFor(orderId)).Id);
        await Market.WaitForOrderAsync(orderId, OrderStatus.Created);
        var second = await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure);
        await Market.PayAsync(buyer, orderId, second);
        var secondAttempt = (await App.Services.ReadOrderAsync(orderId)).PaymentAttemptId!.Value;

        await App.Services.CancelAsync(buyer, orderId);

        var intent = Assert.Single(Stub.IntentsFor(orderId));
        await Market.WaitForIntentAsync(intent.Id, "canceled");
        var calls = Stub.Requests.Where(r => r.Authorization == $"Bearer {StripeStub.SecretKey}").ToList();

        // Opened once; every later look-up replays the very same request under the order's key.
        var opens = calls.Where(r => r is { Method: "POST", Path: "/v1/payment_intents" }).ToList();
        Assert.NotEmpty(opens);
        Assert.All(opens, open =>
        {
            Assert.Equal(("3750", "usd", orderId.ToString()), (open.Form["amount"], open.Form["currency"], open.Form["metadata[order_id]"]));
            Assert.Equal(("Ticket: Floor, night two", "card"), (open.Form["description"], open.Form["allowed_payment_method_types[0]"]));
            Assert.Equal($"order-{orderId}-payment", open.IdempotencyKey);
        });
        Assert.Equal(1, Stub.PaymentIntentsCreated);

        var confirms = calls.Where(r => r.Path == $"/v1/payment_intents/{intent.Id}/confirm").ToList();
        Assert.Equal([first, second], confirms.Select(c => c.Form["confirmation_token"]));
        Assert.Equal([$"order-{orderId}-attempt-{firstAttempt}", $"order-{orderId}-attempt-{secondAttempt}"], confirms.Select(c => c.IdempotencyKey));
        Assert.All(confirms, c => Assert.Equal(StripeMarket.ReturnUrl(orderId), c.Form["return_url"]));

        var cancel = Assert.Single(calls, r => r.Path == $"/v1/payment_intents/{intent.Id}/cancel");
        Assert.Equal($"order-{orderId}-attempt-{secondAttempt}-cancel", cancel.IdempotencyKey);

        // Every request that changes something names this order's payment; reads carry no key.
        Assert.All(calls.Where(r => r.Method == "POST"), r => Assert.StartsWith($"order-{orderId}-", r.IdempotencyKey));
        Assert.All(calls.Where(r => r.Method == "GET"), r => Assert.Null(r.IdempotencyKey));
        Assert.Empty(Stub.Charges);
    }

    [Fact]
    public async Task PaymentFailed_ReplayedLateOrOutOfOrder_ChangesNothingTheIntentDoesNotSay()
    {
        var (buyer, _, orderId) = await Market.ReservedAsync();
        await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure);
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Stub.FailChallenge(intent.Id);
        await Market.WaitForOrderAsync(orderId, OrderStatus.Created);
        await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure);
        await Stub.WebhooksDeliveredAsync();
        var waiting = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal((PaymentAttemptState.AwaitingConfirmation, 5), (waiting.PaymentAttempt, waiting.Version));

        // The first attempt's failure, delivered again while the second waits for the bank.
        var stale = Stub.Webhooks.First(w => w.Type == PaymentFailed);
        for (var delivery = 0; delivery < 3; delivery++)
        {
            Assert.Equal(200, await Stub.RedeliverAsync(stale));
        }

        var stillWaiting = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.AwaitingPayment, PaymentAttemptState.AwaitingConfirmation, 5), (stillWaiting.Status, stillWaiting.PaymentAttempt, stillWaiting.Version));

        Stub.CompleteChallenge(intent.Id);
        await Market.WaitForOrderAsync(orderId, OrderStatus.Complete);
        await Stub.WebhooksDeliveredAsync();
        var completedVersion = (await App.Services.ReadOrderAsync(orderId)).Version;

        // Everything Stripe ever sent, again, newest first.
        foreach (var webhook in Stub.Webhooks.Reverse())
        {
            Assert.Equal(200, await Stub.RedeliverAsync(webhook));
        }

        var order = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Complete, completedVersion), (order.Status, order.Version));
        Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task Webhooks_HeldThenDeliveredNewestFirst_LeaveTheOrderWhereTheIntentStands()
    {
        var (buyer, _, orderId) = await Market.ReservedAsync();
        var hold = Stub.HoldWebhooks();
        var started = await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure);
        Stub.FailChallenge(started.ProviderReference!);

        // No webhook yet: the page, after a silence, asks Stripe, whose record settles the order.
        Assert.Null(await Market.ContinueAsync(buyer, orderId));
        Assert.Equal(OrderStatus.Created, (await App.Services.ReadOrderAsync(orderId)).Status);
        Assert.Equal(PaymentOutcome.Completed, (await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.Visa)).Outcome);
        var completed = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal([PaymentFailed, "payment_intent.succeeded"], Stub.RaisedWebhooks.Select(w => w.Type));

        foreach (var webhook in Stub.RaisedWebhooks.Reverse())
        {
            Assert.Equal(200, await Stub.RedeliverAsync(webhook));
        }

        hold.Release();
        await Stub.WebhooksDeliveredAsync();

        var order = await App.Services.ReadOrderAsync(orderId);
        Assert.Equal((OrderStatus.Complete, completed.Version), (order.Status, order.Version));
        Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task ContinueConfirmation_WhileTheBankStillWaits_ReturnsTheSecretForItsWindowAndChangesNothing()
    {
        var (buyer, _, orderId) = await Market.ReservedAsync();
        var started = await Market.PayWithCardAsync(buyer, orderId, StripeTestCards.ThreeDSecure);
        var before = await App.Services.ReadOrderAsync(orderId);

        var secret = await Market.ContinueAsync(buyer, orderId);

        Assert.Equal(started.ActionSecret, secret);
        Assert.Equal(before.Version, (await App.Services.ReadOrderAsync(orderId)).Version);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Market.ContinueAsync(Guid.NewGuid(), orderId));
    }

    [Fact]
    public async Task ParallelStarts_FromSixTabsAndTheApi_OpenOneIntentAndConfirmItOnce()
    {
        var (buyer, tabs, ticket, orderId) = await ReservedInTabsAsync(tabs: 6);
        var tokens = await TokensAsync(48, StripeTestCards.Visa);

        var outcomes = await RaceAsync(buyer, tabs, orderId, tokens);

        var winner = Assert.Single(outcomes, o => o.Started);
        Assert.True(winner.Paid, winner.Description);
        Assert.All(outcomes.Where(o => !o.Started), o => Assert.True(o.RefusedBeforeStripe, o.Description));
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal(("succeeded", 1, 1), (intent.Status, Stub.ConfirmRequests, Stub.Charges.Count));
        Assert.Equal(1, Stub.PaymentIntentsCreated);
        Assert.Single(await App.Services.PaymentsOfAsync(orderId));
        Assert.Equal(TicketStatus.Sold, (await App.Services.ReadTicketAsync(ticket.Id)).Status);
        await Stub.WebhooksDeliveredAsync();
        await Market.AssertBooksMatchAsync();
    }

    [Fact]
    public async Task ParallelStarts_WithA3DSecureCard_OpenOneIntent_AndMoreStartsWhileTheBankWaitsAreRefused()
    {
        var (buyer, tabs, _, orderId) = await ReservedInTabsAsync(tabs: 6);

        var first = await RaceAsync(buyer, tabs, orderId, await TokensAsync(48, StripeTestCards.ThreeDSecure));
        var second = await RaceAsync(buyer, tabs, orderId, await TokensAsync(48, StripeTestCards.Visa));

        var waiting = Assert.Single(first, o => o.Started);
        Assert.True(waiting.AwaitsTheBank, waiting.Description);
        Assert.All(first.Where(o => !o.Started).Concat(second), o => Assert.True(o.RefusedBeforeStripe, o.Description));
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal(("requires_action", 1), (intent.Status, Stub.ConfirmRequests));

        Stub.CompleteChallenge(intent.Id);

        await Market.WaitForOrderAsync(orderId, OrderStatus.Complete);
        Assert.Single(Stub.Charges);
        await Market.AssertBooksMatchAsync();
    }

    /// <summary>A buyer signed in from several tabs (each its own cookie), with a reserved order.</summary>
    private async Task<(Guid Buyer, HttpClient[] Tabs, Infrastructure.Tickets.TicketView Ticket, Guid OrderId)> ReservedInTabsAsync(int tabs)
    {
        var (first, buyer, email) = await App.SignUpAsync();
        var clients = new List<HttpClient> { first };
        for (var i = 1; i < tabs; i++)
        {
            var tab = App.CreateUserClient();
            (await tab.PostAsJsonAsync("/api/users/signin", new { email, password = "correct-horse-battery" })).EnsureSuccessStatusCode();
            clients.Add(tab);
        }

        var ticket = await App.Services.ListTicketAsync(Guid.NewGuid(), 25m);
        return (buyer, [.. clients], ticket, (await App.Services.ReserveAsync(buyer, ticket.Id)).Id);
    }

    private async Task<string[]> TokensAsync(int count, string card)
    {
        var tokens = new string[count];
        for (var i = 0; i < count; i++)
        {
            tokens[i] = await Stub.CreateConfirmationTokenAsync(card);
        }

        return tokens;
    }

    /// <summary>
    /// Every token starts a payment at once: half through the tabs' API calls, half as the order
    /// page does, all of them reading the order before any may commit its claim.
    /// </summary>
    private async Task<Start[]> RaceAsync(Guid buyer, HttpClient[] tabs, Guid orderId, string[] tokens)
    {
        var racers = tokens.Select((token, i) => i % 2 == 0
            ? (Func<Task<Start>>)(async () => Start.Of(await tabs[i % tabs.Length].PostAsJsonAsync("/api/payments", new { orderId, token })))
            : async () => Start.Of(await Market.PayAsync(buyer, orderId, token))).ToList();
        Task<Outcome<Start>[]> race;
        var readsBefore = _reads.ReadsOf(orderId);
        using (SqliteWriteLock.Take(App.DatabasePath))
        {
            race = Race.RunAsync(racers);
            // Dozens of racers, half of them signing in over HTTP first: on a busy machine that takes a while.
            await _reads.WaitForReadsAsync(orderId, readsBefore + racers.Count, TimeSpan.FromSeconds(60));
        }

        return (await race).Select(o => o.Value ?? Start.Of(o.Error!)).ToArray();
    }

    /// <summary>How one start of a payment ended, whether it came through the API or the page.</summary>
    private sealed record Start(bool Started, bool Paid, bool AwaitsTheBank, bool RefusedBeforeStripe, string Description)
    {
        private static readonly string[] Refusals = ["A payment for this order is in progress", "Order has already been paid"];

        public static Start Of(HttpResponseMessage response)
        {
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            var description = $"{(int)response.StatusCode} {body}";
            return response.StatusCode switch
            {
                HttpStatusCode.Created => new(true, true, false, false, description),
                HttpStatusCode.Accepted => new(true, false, true, false, description),
                HttpStatusCode.BadRequest => new(false, false, false, Refusals.Any(body.Contains), description),
                _ => new(false, false, false, false, description),
            };
        }

        // A payment Stripe's webhook applied first comes back as already applied: paid all the same.
        public static Start Of(PaymentResult result) => new(
            true,
            result is { Outcome: PaymentOutcome.Completed or PaymentOutcome.AlreadyApplied, PaymentId: not null, RefundReason: null },
            result is { Outcome: PaymentOutcome.Pending, ActionSecret: not null },
            false,
            result.ToString());

        public static Start Of(Exception error) =>
            new(false, false, false, error is BusinessRuleViolationException && Refusals.Contains(error.Message), error.ToString());
    }
}
