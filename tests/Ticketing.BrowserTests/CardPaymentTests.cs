using System.Collections.Concurrent;
using Microsoft.Playwright;
using Ticketing.BrowserTests.Support;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;
using static Ticketing.BrowserTests.Support.StripeBrowserSession;

namespace Ticketing.BrowserTests;

/// <summary>
/// A buyer pays by card in Chromium: Stripe's card form, the bank's 3-D Secure page and Stripe's
/// webhooks, all played by the local Stripe stub (see <see cref="StripeBrowserSession"/>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CardPaymentTests(BrowserFixture browser) : IAsyncLifetime
{
    private StripeBrowserSession _stripe = null!;

    private StripeStub Stub => _stripe.Stub;

    public async Task InitializeAsync() => _stripe = await StripeBrowserSession.StartAsync(browser);

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    [Fact]
    public async Task Card_that_pays_turns_the_order_paid_and_never_reaches_the_app()
    {
        var (reserved, orderId) = await _stripe.ReservedOrderAsync();

        // A fresh tab on the order, so that its every request and WebSocket frame is seen.
        var buyer = await reserved.Context.NewPageAsync();
        var sentToTheApp = RecordWhatReachesTheApp(buyer);
        await Pages.GoToInteractiveAsync(buyer, $"/orders/{orderId}");
        await Expect(buyer.Locator("[data-payment-steps]")).ToContainTextAsync("never reach Ticketing");

        await TypeCardAsync(buyer, StripeTestCards.Visa);
        await PressPayAsync(buyer);

        await Expect(buyer.Locator("[data-paid]")).ToBeVisibleAsync();
        await Expect(Order(buyer, orderId)).ToHaveAttributeAsync("data-order-status", "complete");
        var intent = Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal(("succeeded", 2_000L, "usd"), (intent.Status, intent.Amount, intent.Currency));
        Assert.Equal(StripeTestCards.Visa, Assert.Single(Stub.ConfirmationTokens).Number);
        Assert.Contains(sentToTheApp, sent => sent.Contains("ctoken_", StringComparison.Ordinal));
        Assert.DoesNotContain(sentToTheApp, sent => sent.Contains(StripeTestCards.Visa, StringComparison.Ordinal) || sent.Contains("4242 4242", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Card_form_and_a_declined_card_s_message_have_no_axe_violations()
    {
        var (buyer, _) = await _stripe.ReservedOrderAsync();
        await Expect(buyer.Locator("[data-card-form][data-card-ready=true]")).ToBeVisibleAsync();
        var checks = new List<AxeCheck> { await AxeCheck.RunAsync(buyer, "order page, card form") };

        await TypeCardAsync(buyer, StripeTestCards.Declined);
        await PressPayAsync(buyer);
        await Expect(buyer.Locator("[data-pay-error]")).ToBeVisibleAsync();
        checks.Add(await AxeCheck.RunAsync(buyer, "order page, card declined"));

        Assert.All(checks, c => Assert.True(c.Clean, c.Violations()));
        Assert.All(checks, c => Assert.Contains(c.Result.Passes, rule => rule.Id == "color-contrast"));
    }

    [Fact]
    public async Task Declined_card_says_so_and_the_next_card_pays_the_same_intent()
    {
        var (buyer, orderId) = await _stripe.ReservedOrderAsync();

        await TypeCardAsync(buyer, StripeTestCards.Declined);
        await PressPayAsync(buyer);

        await Expect(buyer.Locator("[data-pay-error]")).ToHaveTextAsync("Your card was declined. You can try another card.");
        await Expect(Order(buyer, orderId)).ToHaveAttributeAsync("data-order-status", "created");

        await TypeCardAsync(buyer, StripeTestCards.Visa);
        await PressPayAsync(buyer);

        await Expect(buyer.Locator("[data-paid]")).ToBeVisibleAsync();
        Assert.Equal("succeeded", Assert.Single(Stub.IntentsFor(orderId)).Status);
        Assert.Equal(2, Stub.ConfirmRequests);
    }

    [Fact]
    public async Task ThreeDSecure_passed_shows_waiting_for_your_bank_then_paid_when_Stripes_webhook_arrives()
    {
        var (buyer, orderId) = await _stripe.ReservedOrderAsync();
        await Pages.MarkWindowAsync(buyer);
        var webhooks = Stub.HoldWebhooks();

        await TypeCardAsync(buyer, StripeTestCards.ThreeDSecure);
        await PressPayAsync(buyer);

        await ExpectWaitingForBankAsync(buyer, "Confirm the payment in your bank's window");
        await AnswerBankAsync(buyer, "test-source-authorize-3ds");

        // The bank said yes; the page waits for Stripe's word, which the stub holds back.
        await ExpectWaitingForBankAsync(buyer, "Your bank has answered");
        await Expect(Order(buyer, orderId)).ToHaveAttributeAsync("data-order-status", "awaiting:payment");
        Assert.Equal("succeeded", Assert.Single(Stub.IntentsFor(orderId)).Status);

        webhooks.Release();

        await Expect(buyer.Locator("[data-paid]")).ToBeVisibleAsync();
        await Expect(Order(buyer, orderId)).ToHaveAttributeAsync("data-order-status", "complete");
        await Pages.AssertNotReloadedAsync(buyer);
    }

    [Fact]
    public async Task ThreeDSecure_failed_flips_the_page_to_declined_when_Stripes_webhook_arrives()
    {
        var (buyer, orderId) = await _stripe.ReservedOrderAsync();
        var webhooks = Stub.HoldWebhooks();

        await TypeCardAsync(buyer, StripeTestCards.ThreeDSecure);
        await PressPayAsync(buyer);
        await ExpectWaitingForBankAsync(buyer, "Confirm the payment in your bank's window");
        await AnswerBankAsync(buyer, "test-source-fail-3ds");

        await ExpectWaitingForBankAsync(buyer, "Your bank has answered");
        await Expect(buyer.Locator("[data-pay-error]")).ToHaveCountAsync(0);

        webhooks.Release();

        await Expect(buyer.Locator("[data-pay-error]")).ToContainTextAsync("We are unable to authenticate your payment method");
        await Expect(buyer.Locator("[data-pay-error]")).ToContainTextAsync("Nothing was charged");
        await Expect(Order(buyer, orderId)).ToHaveAttributeAsync("data-order-status", "created");
        await Expect(buyer.Locator("[data-card-form]")).ToBeVisibleAsync();
        await Expect(PayButton(buyer)).ToBeEnabledAsync();
        Assert.Empty(Stub.Charges);
    }

    [Fact]
    public async Task Buyer_who_closed_the_tab_during_3DSecure_comes_back_to_waiting_for_your_bank_and_continues()
    {
        var (buyer, orderId) = await _stripe.ReservedOrderAsync();
        await TypeCardAsync(buyer, StripeTestCards.ThreeDSecure);
        await PressPayAsync(buyer);
        await Expect(Bank(buyer).Locator("#test-source-authorize-3ds")).ToBeVisibleAsync();

        var context = buyer.Context;
        await buyer.CloseAsync();
        var back = await context.NewPageAsync();
        await Pages.GoToInteractiveAsync(back, $"/orders/{orderId}");

        await ExpectWaitingForBankAsync(back, "If you closed its window, continue below");
        await Expect(Order(back, orderId)).ToHaveAttributeAsync("data-order-status", "awaiting:payment");
        await back.Locator("button[data-action=continue-with-bank]").ClickAsync();
        await AnswerBankAsync(back, "test-source-authorize-3ds");

        await Expect(back.Locator("[data-paid]")).ToBeVisibleAsync();
        Assert.Single(Stub.Charges);
    }

    [Fact]
    public async Task Paying_from_three_tabs_at_once_charges_the_card_once_and_every_tab_shows_paid()
    {
        var (first, orderId) = await _stripe.ReservedOrderAsync();
        var tabs = new List<IPage> { first };
        for (var i = 0; i < 2; i++)
        {
            var tab = await first.Context.NewPageAsync();
            await Pages.GoToInteractiveAsync(tab, $"/orders/{orderId}");
            tabs.Add(tab);
        }

        foreach (var tab in tabs)
        {
            await TypeCardAsync(tab, StripeTestCards.Visa);
        }

        foreach (var tab in tabs)
        {
            // Focus leaves Stripe's frame before the click, so the click is not spent moving it.
            await PayButton(tab).ScrollIntoViewIfNeededAsync();
            await PayButton(tab).FocusAsync();
        }

        // At once, without waiting for a button to be enabled: once one tab's payment holds the
        // order, the others' Pay buttons are disabled live, and a click on them does nothing.
        await Task.WhenAll(tabs.Select(tab => PayButton(tab).ClickAsync(new() { Force = true })));

        foreach (var tab in tabs)
        {
            await Expect(tab.Locator("[data-paid]")).ToBeVisibleAsync();
        }

        Assert.Single(Stub.IntentsFor(orderId));
        Assert.Equal((1, 1), (Stub.ConfirmRequests, Stub.Charges.Count));
    }

    /// <summary>Every request body, URL and WebSocket frame the page sends to the app itself (not to Stripe).</summary>
    private ConcurrentQueue<string> RecordWhatReachesTheApp(IPage page)
    {
        var app = _stripe.Session.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        var sent = new ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(app, StringComparison.Ordinal))
            {
                sent.Enqueue(request.Url + " " + request.PostData);
            }
        };
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains(new Uri(app).Authority, StringComparison.Ordinal))
            {
                // Blazor's circuit speaks MessagePack, whose strings are plain UTF-8 within the frame.
                socket.FrameSent += (_, frame) => sent.Enqueue(frame.Text ?? System.Text.Encoding.UTF8.GetString(frame.Binary ?? []));
            }
        };
        return sent;
    }
}

/// <summary>A buyer who leaves in the middle of paying: the reservation, and the payment with it, end with the hold window.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CardPaymentExpiryTests(BrowserFixture browser) : IAsyncLifetime
{
    private StripeBrowserSession _stripe = null!;

    public async Task InitializeAsync() => _stripe = await StripeBrowserSession.StartAsync(browser, ("Ordering:ReservationSeconds", "40"));

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    [Fact]
    public async Task Buyer_who_leaves_at_their_banks_window_finds_the_order_expired_and_nothing_charged()
    {
        var (buyer, orderId) = await _stripe.ReservedOrderAsync();
        await TypeCardAsync(buyer, StripeTestCards.ThreeDSecure);
        await PressPayAsync(buyer);
        await Expect(Bank(buyer).Locator("#test-source-authorize-3ds")).ToBeVisibleAsync();
        var intent = Assert.Single(_stripe.Stub.IntentsFor(orderId));

        var context = buyer.Context;
        await buyer.CloseAsync();

        // Back before the window closes: the order still waits for the bank.
        var back = await context.NewPageAsync();
        await Pages.GoToInteractiveAsync(back, $"/orders/{orderId}");
        await ExpectWaitingForBankAsync(back, "If you closed its window, continue below");

        // Then the countdown ends, with the bank never answered.
        await Expect(Order(back, orderId)).ToHaveAttributeAsync("data-order-status", "cancelled", new() { Timeout = 60_000 });
        await Expect(back.Locator("[data-countdown]").First).ToHaveTextAsync("Expired");
        await Expect(back.Locator("[data-payment-step], button[data-action=pay]")).ToHaveCountAsync(0);
        await TicketingApp.WaitUntilAsync(
            () => Task.FromResult(_stripe.Stub.Intent(intent.Id).Status == "canceled"), TimeSpan.FromSeconds(15), "the order's PaymentIntent is canceled at Stripe");
        Assert.Empty(_stripe.Stub.Charges);
    }
}
