using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ticketing.Testing;

/// <summary>A card Stripe.js collected: the stub keeps the number, as Stripe would, and the app never sees it.</summary>
public sealed record StubConfirmationToken(string Id, string Number, string Last4);

/// <summary>
/// Stripe's test card numbers (docs.stripe.com/testing) and the test payment method each behaves as.
/// </summary>
public static class StripeTestCards
{
    public const string Visa = "4242424242424242";

    public const string Mastercard = "5555555555554444";

    public const string Declined = "4000000000000002";

    public const string InsufficientFunds = "4000000000009995";

    /// <summary>Always asks for 3-D Secure; the test bank's page completes or fails it.</summary>
    public const string ThreeDSecure = "4000002500003155";

    public static string PaymentMethodFor(string number) => number switch
    {
        Visa => "pm_card_visa",
        Mastercard => "pm_card_mastercard",
        InsufficientFunds => "pm_card_chargeDeclinedInsufficientFunds",
        ThreeDSecure or "4000002760003184" or "4000000000003220" => "pm_card_authenticationRequired",

        // Stripe's test mode declines any other number as not a test card.
        _ => "pm_card_chargeDeclined",
    };
}

/// <summary>
/// Stripe's browser side, as the browser tests reach it: Playwright routes <c>js.stripe.com</c>,
/// <c>api.stripe.com</c> and <c>hooks.stripe.com</c> here (under <c>/js</c>, <c>/</c> and
/// <c>/hooks</c>). Served: a stand-in for Stripe.js v3 (the Payment Element in its own frame,
/// <c>createConfirmationToken</c>, <c>handleNextAction</c>), the publishable-key API calls it makes,
/// and the test bank's 3-D Secure page, whose buttons complete or fail the challenge.
/// </summary>
public sealed partial class StripeStub
{
    public const string JsOrigin = "https://js.stripe.com";

    public const string ApiOrigin = "https://api.stripe.com";

    public const string HooksOrigin = "https://hooks.stripe.com";

    private const string AuthenticationFailure = "We are unable to authenticate your payment method. Please choose a different payment method and try again.";

    private readonly Dictionary<string, StubConfirmationToken> _confirmationTokens = new(StringComparer.Ordinal);

    /// <summary>Every card Stripe.js sent to the stub.</summary>
    public IReadOnlyList<StubConfirmationToken> ConfirmationTokens
    {
        get
        {
            lock (_gate)
            {
                return [.. _confirmationTokens.Values];
            }
        }
    }

    /// <summary>
    /// Has the stub make a ConfirmationToken for <paramref name="cardNumber"/> over HTTP, with the
    /// publishable key, as Stripe.js does from the card form.
    /// </summary>
    public async Task<string> CreateConfirmationTokenAsync(string cardNumber)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{BaseUrl}/v1/confirmation_tokens", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["key"] = PublishableKey,
            ["payment_method_data[type]"] = "card",
            ["payment_method_data[card][number]"] = cardNumber,
            ["payment_method_data[card][exp_month]"] = "12",
            ["payment_method_data[card][exp_year]"] = "2034",
            ["payment_method_data[card][cvc]"] = "123",
        }));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string)token!["id"]!;
    }

    /// <summary>The buyer passes the bank's challenge (the test bank's Complete button).</summary>
    public void CompleteChallenge(string paymentIntentId) => AnswerChallenge(paymentIntentId, passed: true);

    /// <summary>The buyer fails the bank's challenge (the test bank's Fail button).</summary>
    public void FailChallenge(string paymentIntentId) => AnswerChallenge(paymentIntentId, passed: false);

    private static void MapBrowserSide(WebApplication app, Func<StripeStub> stub)
    {
        app.MapGet("/js/v3/", () => Asset("stripe.js", "text/javascript"));
        app.MapGet("/js/v3/elements-inner-payment.html", () => Asset("elements-inner-payment.html", "text/html"));
        app.MapPost("/v1/confirmation_tokens", (HttpContext context) => stub().CreateConfirmationTokenAsync(context));
        app.MapGet("/hooks/3d_secure_2/challenge/{id}", (string id, string? client_secret) => stub().ChallengePage(id, client_secret));
        app.MapPost("/hooks/3d_secure_2/challenge/{id}/{answer}", (string id, string answer, string? client_secret) => stub().ChallengeAnswered(id, answer, client_secret));
    }

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"StripeStandIn.{name}")
            ?? throw new InvalidOperationException($"The Stripe stand-in's {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType + "; charset=utf-8");
    }

    private async Task CreateConfirmationTokenAsync(HttpContext context)
    {
        var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(new RecordedStripeRequest(context.Request.Method, context.Request.Path, form, null, null));
        StubResponse response;
        if (form.GetValueOrDefault("key") != PublishableKey)
        {
            response = Error(401, "invalid_request_error", null, null, "Invalid API Key provided: pk_test_****");
        }
        else if (form.GetValueOrDefault("payment_method_data[card][number]") is not { Length: >= 12 and <= 19 } number || !number.All(char.IsAsciiDigit))
        {
            response = Error(402, "card_error", "incorrect_number", "payment_method_data[card][number]", "Your card number is incorrect.");
        }
        else
        {
            var token = new StubConfirmationToken("ctoken_stub_" + Guid.NewGuid().ToString("N")[..24], number, number[^4..]);
            lock (_gate)
            {
                _confirmationTokens[token.Id] = token;
            }

            response = Ok(new JsonObject
            {
                ["id"] = token.Id,
                ["object"] = "confirmation_token",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["expires_at"] = DateTimeOffset.UtcNow.AddHours(12).ToUnixTimeSeconds(),
                ["livemode"] = false,
                ["use_stripe_sdk"] = true,
                ["payment_method_preview"] = new JsonObject
                {
                    ["type"] = "card",
                    ["card"] = new JsonObject { ["brand"] = number.StartsWith('5') ? "mastercard" : "visa", ["last4"] = token.Last4 },
                },
            });
        }

        await SendAsync(context, response);
    }

    /// <summary>Stripe.js reads an intent with the publishable key and the intent's client secret, nothing else.</summary>
    private async Task RetrieveForBrowserAsync(HttpContext context, string id)
    {
        _requests.Enqueue(new RecordedStripeRequest(context.Request.Method, context.Request.Path, new Dictionary<string, string>(), null, null));
        StubResponse response;
        lock (_gate)
        {
            response = context.Request.Query["key"] != PublishableKey
                ? Error(401, "invalid_request_error", null, null, "Invalid API Key provided: pk_test_****")
                : _paymentIntents.TryGetValue(id, out var intent) && (string?)intent["client_secret"] == context.Request.Query["client_secret"]
                    ? Ok(intent)
                    : NoSuchIntent(id);
        }

        await SendAsync(context, response);
    }

    private IResult ChallengePage(string id, string? clientSecret)
    {
        long amount;
        string currency;
        lock (_gate)
        {
            if (!_paymentIntents.TryGetValue(id, out var intent) || (string?)intent["client_secret"] != clientSecret)
            {
                return Results.NotFound();
            }

            amount = (long)intent["amount"]!;
            currency = ((string?)intent["currency"] ?? "usd").ToUpperInvariant();
        }

        var query = "?client_secret=" + Uri.EscapeDataString(clientSecret!);
        return Results.Text($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>3D Secure 2 Test Page</title>
              <style>
                body { font: 15px system-ui, sans-serif; margin: 0; padding: 24px; color: #30313d; }
                h1 { font-size: 18px; margin: 0 0 8px; }
                p { margin: 0 0 20px; color: #6d6e78; }
                form { display: inline; }
                button { font: inherit; font-weight: 600; padding: 10px 16px; border-radius: 6px; border: 1px solid #0570de; cursor: pointer; }
                #test-source-authorize-3ds { background: #0570de; color: #fff; margin-right: 8px; }
                #test-source-fail-3ds { background: #fff; color: #0570de; }
              </style>
            </head>
            <body>
              <h1>Test bank: confirm this payment</h1>
              <p>{{WebUtility.HtmlEncode($"{amount / 100m:0.00} {currency}")}} to Ticketing. This is Stripe's 3D Secure test page.</p>
              <form method="post" action="/3d_secure_2/challenge/{{id}}/complete{{query}}"><button id="test-source-authorize-3ds" type="submit">Complete authentication</button></form>
              <form method="post" action="/3d_secure_2/challenge/{{id}}/fail{{query}}"><button id="test-source-fail-3ds" type="submit">Fail authentication</button></form>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    private IResult ChallengeAnswered(string id, string answer, string? clientSecret)
    {
        lock (_gate)
        {
            if (!_paymentIntents.TryGetValue(id, out var intent) || (string?)intent["client_secret"] != clientSecret || answer is not ("complete" or "fail"))
            {
                return Results.NotFound();
            }
        }

        AnswerChallenge(id, passed: answer == "complete");

        // The bank's frame tells Stripe.js (the page around it) that the challenge is over.
        return Results.Text("""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>3D Secure 2 Test Page</title></head>
            <body>
              <p>Done. Returning to the merchant.</p>
              <script>parent.postMessage({ type: "stripe-3ds-result" }, "*");</script>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    private void AnswerChallenge(string paymentIntentId, bool passed)
    {
        lock (_gate)
        {
            var intent = _paymentIntents[paymentIntentId];
            if ((string?)intent["status"] != "requires_action")
            {
                // Canceled with its order meanwhile, or answered already: the bank's answer comes too late.
                return;
            }

            if (passed)
            {
                Succeed(intent);
                return;
            }

            intent["status"] = "requires_payment_method";
            intent["next_action"] = null;
            intent["last_payment_error"] = new JsonObject
            {
                ["type"] = "invalid_request_error",
                ["code"] = "payment_intent_authentication_failure",
                ["message"] = AuthenticationFailure,
            };
            Emit("payment_intent.payment_failed", intent);
        }
    }
}
