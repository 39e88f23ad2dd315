using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Testing;
using Ticketing.Web.Components.Pages.Orders;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Orders;

/// <summary>A Stripe stub shared by one class's tests; each test uses its own orders.</summary>
public sealed class StripeStubFixture : IAsyncLifetime
{
    public StripeStub Stub { get; private set; } = null!;

    public async Task InitializeAsync() => Stub = await StripeStub.StartAsync();

    public async Task DisposeAsync() => await Stub.DisposeAsync();
}

/// <summary>
/// The order page with Stripe's keys: Stripe's card form (the browser's side played by bUnit's
/// JS interop), the app's real payments against the Stripe stub, 3-D Secure's "Waiting for your
/// bank", and the flips Stripe's webhooks cause (pushed here as the outbox would push them).
/// </summary>
public sealed class StripeOrderPageTests(StripeStubFixture stripe) : UiTestContext(settings: new Dictionary<string, string?>
{
    ["Stripe:SecretKey"] = StripeStub.SecretKey,
    ["Stripe:PublishableKey"] = StripeStub.PublishableKey,
    ["Stripe:ApiBase"] = stripe.Stub.BaseUrl,
}), IClassFixture<StripeStubFixture>
{
    private const string Module = "./js/card-payment.js";

    private Guid _buyerId;
    private OrderView _order = null!;
    private BunitJSModuleInterop _stripeJs = null!;

    private StripeStub Stub => stripe.Stub;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var sellerId = await CreateUserAsync("seller@example.com");
        _buyerId = await CreateUserAsync("buyer@example.com");
        SignIn(_buyerId, "buyer@example.com");
        _order = (await ReserveAsync(_buyerId, (await ListTicketAsync(sellerId, price: 85m)).Id)).Order;
        _stripeJs = Context.JSInterop.SetupModule(Module);
        _stripeJs.Setup<CardFormMount>("mount", _ => true).SetResult(new CardFormMount(true, null));
        _stripeJs.SetupVoid("destroy", _ => true).SetVoidResult();
    }

    [Fact]
    public void Render_WithStripeKeys_MountsStripesCardFormForTheOrdersAmount_AndSaysHowPayingWorks()
    {
        var page = RenderOrder();

        Assert.Empty(page.FindAll("[data-test-mode], input[data-test-card]"));
        var mount = _stripeJs.VerifyInvoke("mount");
        Assert.Equal([StripeStub.PublishableKey, 8_500L, "usd"], mount.Arguments.Skip(1));
        Assert.NotNull(page.Find("[data-card-element]"));
        var steps = page.Find("[data-payment-steps]").TextContent;
        Assert.Contains("never reach Ticketing", steps);
        Assert.Contains("Waiting for your bank", steps);
        Assert.Contains("Closed the tab?", steps);
        Assert.Contains("money goes straight back to your card", steps);
        page.WaitForAssertion(() => Assert.False(PayButton(page).HasAttribute("disabled")), Wait);
    }

    [Fact]
    public async Task Pay_WithACardThatPays_ShowsPaid()
    {
        CardTyped(await Stub.CreateConfirmationTokenAsync(StripeTestCards.Visa));
        var page = RenderOrder();

        await ClickPayAsync(page);

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")), Wait);
        Assert.NotNull(page.Find("[data-paid]"));
        Assert.Equal("succeeded", Assert.Single(Stub.IntentsFor(_order.Id)).Status);
    }

    [Fact]
    public async Task Pay_WithADecliningCard_SaysSoAndKeepsTheCardFormForAnother()
    {
        CardTyped(await Stub.CreateConfirmationTokenAsync(StripeTestCards.Declined));
        var page = RenderOrder();

        await ClickPayAsync(page);

        page.WaitForAssertion(() => Assert.Equal("Your card was declined. You can try another card.", page.Find("[data-pay-error]").TextContent), Wait);
        Assert.Equal("created", Root(page).GetAttribute("data-order-status"));
        Assert.Null(page.Find("[data-card-form]").GetAttribute("class"));
        Assert.False(PayButton(page).HasAttribute("disabled"));
    }

    [Fact]
    public async Task Pay_WhenStripeJsCannotReadTheCard_ShowsItsMessageAndStartsNoPayment()
    {
        _stripeJs.Setup<CardToken>("createToken", _ => true).SetResult(new CardToken(null, "Your card number is incomplete."));
        var page = RenderOrder();

        await ClickPayAsync(page);

        Assert.Equal("Your card number is incomplete.", page.Find("[data-pay-error]").TextContent);
        Assert.Equal((0, "created"), (Stub.IntentsFor(_order.Id).Count, Root(page).GetAttribute("data-order-status")));
    }

    [Fact]
    public async Task Pay_WithA3DSecureCard_SaysWaitingForYourBank_AndOpensTheBanksWindowForTheOrdersIntent()
    {
        CardTyped(await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure));
        var bankWindow = OpenBankWindows();
        var page = RenderOrder();

        // Pay's handler ends when the bank's window closes.
        var paying = ClickPayAsync(page);

        page.WaitForAssertion(() => Assert.Contains("Confirm the payment in your bank's window", BankStep(page)), Wait);
        Assert.Contains("Waiting for your bank", page.Find("[data-payment-step=waiting-for-bank]").TextContent);
        Assert.Equal("awaiting:payment", Root(page).GetAttribute("data-order-status"));
        Assert.Equal("d-none", page.Find("[data-card-form]").GetAttribute("class"));
        var intent = Assert.Single(Stub.IntentsFor(_order.Id));
        Assert.StartsWith($"{intent.Id}_secret_", await bankWindow.Opened);

        // The bank's window closes; the order moves only when Stripe says so.
        Stub.CompleteChallenge(intent.Id);
        bankWindow.Close(new BankStepResult("succeeded", null));
        await paying;
        page.WaitForAssertion(() => Assert.Contains("Your bank has answered", BankStep(page)), Wait);
        Assert.Equal("awaiting:payment", Root(page).GetAttribute("data-order-status"));

        PublishOrder(await WebhookSettlesAsync(intent.Id));

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")), Wait);
        Assert.NotNull(page.Find("[data-paid]"));
    }

    [Fact]
    public async Task BankDeclines_ThePageFlipsToDeclinedWhenStripeSaysSo_WithStripesWordsAndTheFormBack()
    {
        CardTyped(await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure));
        _stripeJs.Setup<BankStepResult>("handleNextAction", _ => true)
            .SetResult(new BankStepResult("requires_payment_method", "We are unable to authenticate your payment method."));
        var page = RenderOrder();

        await ClickPayAsync(page);
        page.WaitForAssertion(() => Assert.Contains("Your bank has answered", BankStep(page)), Wait);
        var intent = Assert.Single(Stub.IntentsFor(_order.Id));
        Stub.FailChallenge(intent.Id);

        PublishOrder(await WebhookSettlesAsync(intent.Id));

        page.WaitForAssertion(() => Assert.Equal("created", Root(page).GetAttribute("data-order-status")), Wait);
        Assert.Equal(
            "We are unable to authenticate your payment method. Nothing was charged. You can try again with this card or another one.",
            page.Find("[data-pay-error]").TextContent);
        Assert.Empty(page.FindAll("[data-payment-step]"));
        Assert.Null(page.Find("[data-card-form]").GetAttribute("class"));
        Assert.False(PayButton(page).HasAttribute("disabled"));
    }

    [Fact]
    public async Task ReturningBuyer_WhileTheBankWaits_SeesWaitingForYourBank_AndContinuesInTheBanksWindow()
    {
        // The buyer pressed Pay, then closed the tab in the middle of 3-D Secure.
        var started = await Payments.PayAsync(new Actor(_buyerId), _order.Id, await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure));
        var bankWindow = OpenBankWindows();

        var page = RenderOrder();

        page.WaitForAssertion(() => Assert.Contains("is still waiting. If you closed its window, continue below", BankStep(page)), Wait);
        Assert.Equal("awaiting:payment", Root(page).GetAttribute("data-order-status"));
        Assert.True(PayButton(page).HasAttribute("disabled"));
        page.WaitForAssertion(() => Assert.False(page.Find("[data-action=continue-with-bank]").HasAttribute("disabled")), Wait);

        var continuing = page.Find("[data-action=continue-with-bank]").ClickAsync(new());

        Assert.Equal(started.ActionSecret, await bankWindow.Opened);
        page.WaitForAssertion(() => Assert.Contains("Confirm the payment in your bank's window", BankStep(page)), Wait);
        bankWindow.Close(new BankStepResult("requires_action", null));
        await continuing;
    }

    [Fact]
    public async Task AfterTheBanksWindow_WhenStripesWebhookNeverComes_ThePageAsksStripeAndShowsPaid()
    {
        CardTyped(await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure));
        var bankWindow = OpenBankWindows();
        var page = RenderOrder();
        var paying = ClickPayAsync(page);
        page.WaitForAssertion(() => Assert.Contains("Confirm the payment in your bank's window", BankStep(page)), Wait);
        Stub.CompleteChallenge(Assert.Single(Stub.IntentsFor(_order.Id)).Id);
        bankWindow.Close(new BankStepResult("succeeded", null));
        await paying;
        page.WaitForAssertion(() => Assert.Contains("Your bank has answered", BankStep(page)), Wait);

        Clock.Advance(OrderPayment.SilenceBeforeAsking);

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")), Wait);
        Assert.Single(Stub.Charges, c => c.OrderId == _order.Id);
    }

    [Fact]
    public async Task BackFromTheBanksRedirect_ThePageAsksStripeAtOnce_AndShowsPaid()
    {
        var started = await Payments.PayAsync(new Actor(_buyerId), _order.Id, await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure));
        Stub.CompleteChallenge(started.ProviderReference!);

        // Stripe's redirect to the return_url the payment was confirmed with.
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo(
            $"orders/{_order.Id}?payment_intent={started.ProviderReference}&payment_intent_client_secret={started.ActionSecret}&redirect_status=succeeded");
        var page = RenderOrder();

        page.WaitForAssertion(() => Assert.Equal("complete", Root(page).GetAttribute("data-order-status")), Wait);
        Assert.NotNull(page.Find("[data-paid]"));
    }

    [Fact]
    public async Task WaitingForTheBank_WithoutARedirectBack_DoesNotAskStripeOnItsOwn()
    {
        var started = await Payments.PayAsync(new Actor(_buyerId), _order.Id, await Stub.CreateConfirmationTokenAsync(StripeTestCards.ThreeDSecure));
        Stub.CompleteChallenge(started.ProviderReference!);
        var lookups = Stub.Requests.Count;

        var page = RenderOrder();

        page.WaitForAssertion(() => Assert.Contains("If you closed its window, continue below", BankStep(page)), Wait);
        Assert.Equal(lookups, Stub.Requests.Count);
        Assert.Equal("awaiting:payment", Root(page).GetAttribute("data-order-status"));
    }

    [Fact]
    public void CardForm_ThatCannotLoad_SaysSoAndOffersNoPayment()
    {
        _stripeJs.Setup<CardFormMount>("mount", _ => true).SetResult(new CardFormMount(false, "Stripe.js could not be loaded."));

        var page = RenderOrder();

        page.WaitForAssertion(() => Assert.Contains("Stripe.js could not be loaded.", page.Find("[data-card-form-error]").TextContent), Wait);
        Assert.Contains("Nothing has been charged", page.Find("[data-card-form-error]").TextContent);
        Assert.True(PayButton(page).HasAttribute("disabled"));
    }

    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    /// <summary>Stripe.js's bank window: open until the test answers for the buyer, however long that takes.</summary>
    private BankWindow OpenBankWindows()
    {
        var window = new BankWindow();
        _stripeJs.AddInvocationHandler(window);
        return window;
    }

    private void CardTyped(string confirmationToken) =>
        _stripeJs.Setup<CardToken>("createToken", _ => true).SetResult(new CardToken(confirmationToken, null));

    /// <summary>What the app does on Stripe's webhook for the intent: settle the order from Stripe's record; the outbox then pushes it.</summary>
    private async Task<OrderView> WebhookSettlesAsync(string paymentIntentId)
    {
        Assert.Equal(paymentIntentId, (await Payments.SettleConfirmationAsync(_order.Id))!.Reference);
        return await TicketOrders.GetAsync(new Actor(_buyerId), _order.Id);
    }

    private IRenderedComponent<OrderDetails> RenderOrder()
    {
        var page = Context.Render<OrderDetails>(p => p.Add(x => x.Id, _order.Id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")), Wait);
        return page;
    }

    private static async Task ClickPayAsync(IRenderedComponent<OrderDetails> page)
    {
        page.WaitForAssertion(() => Assert.False(PayButton(page).HasAttribute("disabled")), Wait);
        await PayButton(page).ClickAsync(new());
    }

    private static string BankStep(IRenderedComponent<OrderDetails> page) => page.Find("[data-bank-step]").TextContent;

    private static IElement Root(IRenderedComponent<OrderDetails> page) => page.Find("[data-order-status]");

    private static IElement PayButton(IRenderedComponent<OrderDetails> page) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Pay");
}

/// <summary>
/// Answers Stripe.js's <c>handleNextAction</c> only when the test closes the bank's window (bUnit's
/// own handlers give up after a second, and the buyer may take minutes).
/// </summary>
internal sealed class BankWindow() : JSRuntimeInvocationHandler<BankStepResult>(i => i.Identifier == "handleNextAction", isCatchAllHandler: false)
{
    private readonly TaskCompletionSource<string?> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<BankStepResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The client secret Stripe.js was given, once the window opens.</summary>
    public Task<string?> Opened => _opened.Task.WaitAsync(TimeSpan.FromSeconds(15));

    public void Close(BankStepResult result) => _answer.TrySetResult(result);

    protected override Task<BankStepResult> HandleAsync(JSRuntimeInvocation invocation)
    {
        _opened.TrySetResult(invocation.Arguments[1] as string);
        return _answer.Task;
    }
}

/// <summary>The order page with a Stripe key but no publishable key: nowhere to type a card, and it says so.</summary>
public sealed class StripeWithoutPublishableKeyOrderPageTests() : UiTestContext(settings: new Dictionary<string, string?>
{
    ["Stripe:SecretKey"] = "sk_test_not_a_real_key",
    ["Stripe:ApiBase"] = "http://127.0.0.1:9",
})
{
    [Fact]
    public async Task Render_SaysCardPaymentsAreNotSetUp_AndOffersNoPayButton()
    {
        var sellerId = await CreateUserAsync("seller@example.com");
        var buyerId = await CreateUserAsync("buyer@example.com");
        SignIn(buyerId, "buyer@example.com");
        var order = (await ReserveAsync(buyerId, (await ListTicketAsync(sellerId)).Id)).Order;

        var page = Context.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")), TimeSpan.FromSeconds(15));

        Assert.Contains("publishable key is missing", page.Find("[data-card-unavailable]").TextContent);
        Assert.Empty(page.FindAll("[data-card-element], [data-test-mode]"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Pay");
        Assert.Contains(page.FindAll("button"), b => b.TextContent.Trim() == "Cancel order");
    }
}

/// <summary>The order page when Stripe cannot be reached at all.</summary>
public sealed class UnreachableStripeOrderPageTests() : UiTestContext(settings: new Dictionary<string, string?>
{
    ["Stripe:SecretKey"] = "sk_test_not_a_real_key",
    ["Stripe:PublishableKey"] = "pk_test_not_a_real_key",

    // Nothing listens here: every call to "Stripe" fails at once, as when Stripe is unreachable.
    ["Stripe:ApiBase"] = "http://127.0.0.1:9",
})
{
    [Fact]
    public async Task Pay_WhenStripeCannotBeReached_ShowsAnErrorAndStaysPayable()
    {
        var sellerId = await CreateUserAsync("seller@example.com");
        var buyerId = await CreateUserAsync("buyer@example.com");
        SignIn(buyerId, "buyer@example.com");
        var order = (await ReserveAsync(buyerId, (await ListTicketAsync(sellerId)).Id)).Order;
        var stripeJs = Context.JSInterop.SetupModule("./js/card-payment.js");
        stripeJs.Setup<CardFormMount>("mount", _ => true).SetResult(new CardFormMount(true, null));
        stripeJs.Setup<CardToken>("createToken", _ => true).SetResult(new CardToken("ctoken_1NnQUf2eZvKYlo2CmVbIvQ2y", null));
        var page = Context.Render<OrderDetails>(p => p.Add(x => x.Id, order.Id));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[aria-busy=true]")), TimeSpan.FromSeconds(15));
        page.WaitForAssertion(() => Assert.False(page.FindAll("button").Single(b => b.TextContent.Trim() == "Pay").HasAttribute("disabled")), TimeSpan.FromSeconds(15));

        await page.FindAll("button").Single(b => b.TextContent.Trim() == "Pay").ClickAsync(new());

        page.WaitForAssertion(
            () => Assert.Contains("could not be reached. Nothing was charged", page.Find("[data-pay-error]").TextContent),
            TimeSpan.FromSeconds(15));
        Assert.Equal("created", page.Find("[data-order-status]").GetAttribute("data-order-status"));
        Assert.False(page.FindAll("button").Single(b => b.TextContent.Trim() == "Pay").HasAttribute("disabled"));
    }
}
