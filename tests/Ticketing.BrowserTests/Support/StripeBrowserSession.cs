using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.BrowserTests.Support;

/// <summary>
/// The app on Stripe, with Stripe played by the local <see cref="StripeStub"/> and nothing faked
/// inside the app: the app's Stripe.net calls reach the stub through <c>Stripe:ApiBase</c>; the
/// browser's requests to <c>js.stripe.com</c>, <c>api.stripe.com</c> and <c>hooks.stripe.com</c>
/// are routed by Playwright to the stub, which serves its Stripe.js stand-in, card frame and test
/// bank under the real host names (so the page's Content-Security-Policy applies as in
/// production); and the stub sends the app signed webhooks over HTTP.
/// </summary>
public sealed class StripeBrowserSession : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_browser_tests_0a1b2c3d4e5f6a7b";

    private readonly HttpClient _webhooks;

    private StripeBrowserSession(StripeStub stub, BrowserSession session)
    {
        Stub = stub;
        Session = session;
        _webhooks = new HttpClient { BaseAddress = session.App.BaseAddress };
        stub.SendWebhooksTo(_webhooks, WebhookSecret);
    }

    public StripeStub Stub { get; }

    public BrowserSession Session { get; }

    public static async Task<StripeBrowserSession> StartAsync(BrowserFixture browser, params (string Key, string Value)[] settings)
    {
        var stub = await StripeStub.StartAsync();
        var session = new BrowserSession(
            browser,
            Pages.Settings(
            [
                .. settings,
                ("Stripe:SecretKey", StripeStub.SecretKey),
                ("Stripe:PublishableKey", StripeStub.PublishableKey),
                ("Stripe:ApiBase", stub.BaseUrl),
                ("Stripe:WebhookSecret", WebhookSecret),
            ]),
            context => RouteStripeAsync(context, stub));
        return new StripeBrowserSession(stub, session);
    }

    /// <summary>A seller lists a ticket and a new buyer reserves it; the buyer's order page is open and live.</summary>
    /// <param name="height">The buyer's viewport height: tall enough, the whole order page shows without scrolling.</param>
    public async Task<(IPage Buyer, Guid OrderId)> ReservedOrderAsync(string title = "Card payment, row F", string price = "20.00", int height = 800)
    {
        var seller = await Session.NewPageAsync();
        await Pages.RegisterAsync(seller);
        var ticketId = await Pages.SellAsync(seller, title, price);
        await seller.Context.CloseAsync();

        var buyer = await Session.NewPageAsync(height: height);
        await Pages.RegisterAsync(buyer);
        var orderId = await Pages.PurchaseAsync(buyer, ticketId);
        await Pages.WaitInteractiveAsync(buyer);
        return (buyer, orderId);
    }

    /// <summary>Waits for Stripe's card form, then types a card into it (inside Stripe's frame).</summary>
    public static async Task TypeCardAsync(IPage page, string number)
    {
        await Expect(page.Locator("[data-card-form][data-card-ready=true]")).ToBeVisibleAsync();
        var card = page.FrameLocator("[data-card-element] iframe");
        await card.Locator("#number").FillAsync(number);
        await card.Locator("#expiry").FillAsync("12 / 34");
        await card.Locator("#cvc").FillAsync("123");
    }

    public static ILocator PayButton(IPage page) => page.Locator("button[data-action=pay]");

    /// <summary>
    /// Scrolls to Pay, then presses it, and presses again, as a person would, if the page shows no
    /// sign of the press. Right after typing into Stripe's cross-origin frame, headless Chromium can
    /// lose a click (no click event reaches the page). Pressing twice is safe: the order is charged
    /// once however often Pay is pressed, and a press while one is under way finds Pay disabled.
    /// </summary>
    public static async Task PressPayAsync(IPage page)
    {
        var reacted = page.Locator("[data-payment-in-progress], [data-paid], [data-pay-error], button[data-action=pay][disabled]").First;
        for (var press = 1; ; press++)
        {
            await PayButton(page).ScrollIntoViewIfNeededAsync();

            // Focus leaves Stripe's frame before the click, so the click is not spent moving it.
            await PayButton(page).FocusAsync();
            await PayButton(page).ClickAsync();
            try
            {
                await reacted.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (press < 3)
            {
                // The click was lost; press again.
            }
        }
    }

    /// <summary>
    /// Answers the test bank's challenge (<paramref name="button"/>: <c>test-source-authorize-3ds</c>
    /// or <c>test-source-fail-3ds</c>), and presses again, as a person would, while its window stays
    /// open: on a busy machine the first click can land before the frame's page listens. The window
    /// closes on the answer, so a second press is never a second answer.
    /// </summary>
    public static async Task AnswerBankAsync(IPage page, string button)
    {
        var challenge = page.Locator("iframe[title='3D Secure challenge']");
        for (var press = 1; ; press++)
        {
            await Bank(page).Locator($"#{button}").ClickAsync();
            try
            {
                await challenge.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (press < 3)
            {
                // The click was lost; press again.
            }
        }
    }

    public static ILocator Order(IPage page, Guid orderId) => page.Locator($"[data-order-id='{orderId}'][data-order-status]");

    /// <summary>The test bank's page, which Stripe.js opened over the order page.</summary>
    public static IFrameLocator Bank(IPage page) => page.FrameLocator("iframe[title='3D Secure challenge']");

    public static Task ExpectWaitingForBankAsync(IPage page, string text) =>
        Expect(page.Locator("[data-payment-step=waiting-for-bank]")).ToContainTextAsync(new Regex("Waiting for your bank.*" + Regex.Escape(text), RegexOptions.Singleline));

    public async ValueTask DisposeAsync()
    {
        await Stub.DisposeAsync();
        await Session.DisposeAsync();
        _webhooks.Dispose();
    }

    private static async Task RouteStripeAsync(IBrowserContext context, StripeStub stub)
    {
        await context.RouteAsync($"{StripeStub.JsOrigin}/**", route => ForwardAsync(route, stub.BaseUrl + "/js"));
        await context.RouteAsync($"{StripeStub.ApiOrigin}/**", route => ForwardAsync(route, stub.BaseUrl));
        await context.RouteAsync($"{StripeStub.HooksOrigin}/**", route => ForwardAsync(route, stub.BaseUrl + "/hooks"));
    }

    private static async Task ForwardAsync(IRoute route, string to)
    {
        var response = await route.FetchAsync(new RouteFetchOptions { Url = to + new Uri(route.Request.Url).PathAndQuery });
        await route.FulfillAsync(new RouteFulfillOptions { Response = response });
    }
}
