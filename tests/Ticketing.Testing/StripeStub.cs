using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.Testing;

/// <summary>One request as the stub received it, to assert what Stripe.net really sent.</summary>
public sealed record RecordedStripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Form,
    string? IdempotencyKey,
    string? Authorization);

/// <summary>A PaymentIntent as the stub holds it now.</summary>
public sealed record StubPaymentIntent(string Id, Guid? OrderId, long Amount, string Currency, string Status, long AmountRefunded);

/// <summary>A refund the stub made.</summary>
public sealed record StubRefund(string Id, string PaymentIntentId, long Amount);

/// <summary>
/// A local stand-in for the part of Stripe's HTTP API the gateway uses: PaymentIntents (create,
/// confirm, retrieve, cancel) and refunds, form-encoded, with Stripe-shaped JSON and errors,
/// Stripe's test payment methods, and Stripe's idempotency (the first response for a key is
/// replayed; the same key with other parameters is an error). Every request is recorded, and the
/// stub keeps the books a test compares with the application's: which intents took money and
/// which refunds went out. Runs on a real Kestrel socket so Stripe.net's own HTTP stack is used.
/// It also plays Stripe's browser side (Stripe.js, the card form, the test bank's 3-D Secure page;
/// see StripeStub.Browser.cs) and sends signed webhooks (StripeStub.Webhooks.cs).
/// </summary>
public sealed partial class StripeStub : IAsyncDisposable
{
    public const string SecretKey = "sk_test_stub_4eC39HqLyjWDarjtT1zdp7dc";

    /// <summary>The key Stripe.js sends from the browser; it may only make ConfirmationTokens and read an intent with its client secret.</summary>
    public const string PublishableKey = "pk_test_stub_TYooMQauvdEDq54NiTphI7jx";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedStripeRequest> _requests = new();
    private readonly Dictionary<string, (string Fingerprint, StubResponse Response)> _idempotentResponses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _paymentIntents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StubRefund> _refunds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ConfirmHold? _hold;

    private StripeStub(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The stub's address, e.g. <c>http://127.0.0.1:51234</c>: the <c>apiBase</c> for Stripe.net.</summary>
    public string BaseUrl { get; }

    public IReadOnlyList<RecordedStripeRequest> Requests => [.. _requests];

    /// <summary>Confirm requests received (each is one attempt to take money).</summary>
    public int ConfirmRequests => _requests.Count(r => r.Path.EndsWith("/confirm", StringComparison.Ordinal));

    public int PaymentIntentsCreated
    {
        get
        {
            lock (_gate)
            {
                return _paymentIntents.Count;
            }
        }
    }

    public int RefundsCreated
    {
        get
        {
            lock (_gate)
            {
                return _refunds.Count;
            }
        }
    }

    public IReadOnlyList<StubPaymentIntent> PaymentIntents
    {
        get
        {
            lock (_gate)
            {
                return _paymentIntents.Values.Select(ToIntent).ToList();
            }
        }
    }

    /// <summary>The intents that took money: Stripe's side of "charges".</summary>
    public IReadOnlyList<StubPaymentIntent> Charges => PaymentIntents.Where(i => i.Status == "succeeded").ToList();

    public IReadOnlyList<StubRefund> Refunds
    {
        get
        {
            lock (_gate)
            {
                return [.. _refunds.Values];
            }
        }
    }

    public IReadOnlyList<StubPaymentIntent> IntentsFor(Guid orderId) => PaymentIntents.Where(i => i.OrderId == orderId).ToList();

    public static async Task<StripeStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();

        StripeStub? stub = null;
        app.MapPost("/v1/payment_intents", (HttpContext context) => stub!.HandleAsync(context, form => stub.CreatePaymentIntent(form)));
        app.MapPost("/v1/payment_intents/{id}/confirm", (HttpContext context, string id) => stub!.HandleAsync(context, form => stub.Confirm(id, form), holdable: true));
        app.MapPost("/v1/payment_intents/{id}/cancel", (HttpContext context, string id) => stub!.HandleAsync(context, _ => stub.Cancel(id)));
        app.MapGet("/v1/payment_intents/{id}", (HttpContext context, string id) => context.Request.Query.ContainsKey("key")
            ? stub!.RetrieveForBrowserAsync(context, id)
            : stub!.HandleAsync(context, _ => stub.Retrieve(id)));
        app.MapPost("/v1/refunds", (HttpContext context) => stub!.HandleAsync(context, form => stub.CreateRefund(form)));
        MapBrowserSide(app, () => stub!);
        app.MapFallback((HttpContext context) => stub!.HandleAsync(context, _ => Error(404, "invalid_request_error", null, null,
            $"Unrecognized request URL ({context.Request.Method}: {context.Request.Path}).")));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub = new StripeStub(app, address.TrimEnd('/'));
        stub.StartWebhookPump();
        return stub;
    }

    /// <summary>
    /// The next confirm takes the money as usual, then its answer waits until the hold is released:
    /// a client that dies meanwhile has been charged without hearing of it.
    /// </summary>
    public ConfirmHold HoldNextConfirmation()
    {
        var hold = new ConfirmHold();
        Volatile.Write(ref _hold, hold);
        return hold;
    }

    /// <summary>A refund made outside the application (the Stripe dashboard), as Stripe would record it.</summary>
    public StubRefund RefundFromDashboard(string paymentIntentId, long? amount = null)
    {
        lock (_gate)
        {
            var intent = _paymentIntents[paymentIntentId];
            var refund = new StubRefund("re_dash_" + Guid.NewGuid().ToString("N")[..20], paymentIntentId, amount ?? (long)intent["amount"]!);
            _refunds[refund.Id] = refund;
            intent["amount_refunded"] = (long)intent["amount_refunded"]! + refund.Amount;
            return refund;
        }
    }

    public StubPaymentIntent Intent(string id)
    {
        lock (_gate)
        {
            return ToIntent(_paymentIntents[id]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Read(ref _hold)?.Release();
        await StopWebhookPumpAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, Func<IReadOnlyDictionary<string, string>, StubResponse> create, bool holdable = false)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        string? idempotencyKey = context.Request.Headers["Idempotency-Key"];
        string? authorization = context.Request.Headers.Authorization;
        _requests.Enqueue(new RecordedStripeRequest(context.Request.Method, context.Request.Path, form, idempotencyKey, authorization));

        if (authorization != $"Bearer {SecretKey}")
        {
            await SendAsync(context, Error(401, "invalid_request_error", null, null, "Invalid API Key provided: sk_test_****"));
            return;
        }

        var fingerprint = $"{context.Request.Method} {context.Request.Path} " + string.Join('&', form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        StubResponse response;
        var replayed = false;
        lock (_gate)
        {
            // Stripe keeps the first response for a key, errors included, and replays it; the same
            // key with other parameters is refused.
            if (idempotencyKey is not null && _idempotentResponses.TryGetValue(idempotencyKey, out var stored))
            {
                response = stored.Fingerprint == fingerprint
                    ? stored.Response
                    : Error(400, "idempotency_error", null, null, "Keys for idempotent requests can only be used with the same parameters they were first used with.");
                replayed = true;
            }
            else
            {
                response = create(form);
                if (idempotencyKey is not null && context.Request.Method == "POST")
                {
                    _idempotentResponses[idempotencyKey] = (fingerprint, response);
                }
            }
        }

        if (replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }
        else if (holdable && Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            hold.Reached();
            await hold.Released;
        }

        await SendAsync(context, response);
    }

    private static async Task SendAsync(HttpContext context, StubResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = "application/json";

        // As Stripe's API does: Stripe.js calls it from the browser, on any site.
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("N")[..14];
        await context.Response.WriteAsync(response.Body.ToJsonString());
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse CreatePaymentIntent(IReadOnlyDictionary<string, string> form)
    {
        if (!long.TryParse(form.GetValueOrDefault("amount"), out var amount) || amount < 50)
        {
            return Error(400, "invalid_request_error", "amount_too_small", "amount", "Amount must be at least $0.50 usd");
        }

        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
        {
            metadata[key["metadata[".Length..^1]] = value;
        }

        var id = "pi_stub_" + Guid.NewGuid().ToString("N")[..24];
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_received"] = 0L,
            ["amount_refunded"] = 0L,
            ["currency"] = form.GetValueOrDefault("currency"),
            ["status"] = "requires_payment_method",
            ["description"] = form.GetValueOrDefault("description"),
            ["metadata"] = metadata,
            ["payment_method_types"] = new JsonArray("card"),
            ["capture_method"] = "automatic",
            ["confirmation_method"] = "automatic",
            ["client_secret"] = id + "_secret_stub",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
        };
        _paymentIntents[id] = intent;
        return form.GetValueOrDefault("confirm") == "true" ? Confirm(id, form) : Ok(intent);
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse Confirm(string id, IReadOnlyDictionary<string, string> form)
    {
        if (!_paymentIntents.TryGetValue(id, out var intent))
        {
            return NoSuchIntent(id);
        }

        if ((string?)intent["status"] is not ("requires_payment_method" or "requires_confirmation" or "requires_action"))
        {
            return Error(400, "invalid_request_error", "payment_intent_unexpected_state", null,
                $"You cannot confirm this PaymentIntent because it has a status of {(string?)intent["status"]}.");
        }

        var isToken = !form.ContainsKey("payment_method") && form.ContainsKey("payment_method_data[card][token]");
        var token = form.GetValueOrDefault("payment_method") ?? form.GetValueOrDefault("payment_method_data[card][token]");
        if (form.TryGetValue("confirmation_token", out var confirmationToken))
        {
            // What the Payment Element collected: the card Stripe.js sent here, never to the app.
            if (!_confirmationTokens.TryGetValue(confirmationToken, out var collected))
            {
                return Error(400, "invalid_request_error", "resource_missing", "confirmation_token", $"No such confirmation_token: '{confirmationToken}'");
            }

            token = StripeTestCards.PaymentMethodFor(collected.Number);
        }

        if (form.TryGetValue("return_url", out var returnUrl))
        {
            intent["return_url"] = returnUrl;
        }

        switch (token)
        {
            case "pm_card_visa" or "tok_visa" or "pm_card_mastercard" or "tok_mastercard" or "pm_card_amex" or "tok_amex":
                Succeed(intent);
                return Ok(intent);
            case "pm_card_authenticationRequired" or "tok_threeDSecure2Required":
                RequireAction(intent);
                return Ok(intent);
            case "pm_card_chargeDeclined" or "tok_chargeDeclined":
                return Declined(intent, "Your card was declined.", "generic_decline");
            case "pm_card_chargeDeclinedInsufficientFunds" or "tok_chargeDeclinedInsufficientFunds":
                return Declined(intent, "Your card has insufficient funds.", "insufficient_funds");
            default:
                return isToken
                    ? Error(400, "invalid_request_error", "resource_missing", "payment_method_data[card][token]", $"No such token: '{token}'")
                    : Error(400, "invalid_request_error", "resource_missing", "payment_method", $"No such PaymentMethod: '{token}'");
        }
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private void Succeed(JsonObject intent)
    {
        intent["status"] = "succeeded";
        intent["amount_received"] = (long)intent["amount"]!;
        intent["payment_method"] = "pm_stub_" + Guid.NewGuid().ToString("N")[..24];
        intent["next_action"] = null;
        intent["last_payment_error"] = null;
        Emit("payment_intent.succeeded", intent);
    }

    /// <summary>3-D Secure: the buyer's bank must confirm in the browser, where Stripe.js opens the test bank's page.</summary>
    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private static void RequireAction(JsonObject intent)
    {
        var id = (string)intent["id"]!;
        intent["status"] = "requires_action";
        intent["next_action"] = new JsonObject
        {
            ["type"] = "use_stripe_sdk",
            ["use_stripe_sdk"] = new JsonObject
            {
                ["type"] = "three_d_secure_redirect",
                ["stripe_js"] = $"{HooksOrigin}/3d_secure_2/challenge/{id}?client_secret={Uri.EscapeDataString((string)intent["client_secret"]!)}",
            },
        };
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse Cancel(string id)
    {
        if (!_paymentIntents.TryGetValue(id, out var intent))
        {
            return NoSuchIntent(id);
        }

        if ((string?)intent["status"] is "succeeded" or "canceled")
        {
            return Error(400, "invalid_request_error", "payment_intent_unexpected_state", null,
                $"You cannot cancel this PaymentIntent because it has a status of {(string?)intent["status"]}.");
        }

        intent["status"] = "canceled";
        intent["next_action"] = null;
        Emit("payment_intent.canceled", intent);
        return Ok(intent);
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse Retrieve(string id) =>
        _paymentIntents.TryGetValue(id, out var intent) ? Ok(intent) : NoSuchIntent(id);

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse CreateRefund(IReadOnlyDictionary<string, string> form)
    {
        var paymentIntentId = form.GetValueOrDefault("payment_intent") ?? string.Empty;
        if (!_paymentIntents.TryGetValue(paymentIntentId, out var intent))
        {
            return Error(400, "invalid_request_error", "resource_missing", "payment_intent", $"No such payment_intent: '{paymentIntentId}'");
        }

        var received = (long)intent["amount_received"]!;
        var refunded = (long)intent["amount_refunded"]!;
        var amount = form.TryGetValue("amount", out var amountText) ? long.Parse(amountText) : received - refunded;
        if (received == 0 || amount > received - refunded)
        {
            return Error(400, "invalid_request_error", "charge_already_refunded", null, "Charge has already been refunded, or took no money.");
        }

        var refund = new StubRefund("re_stub_" + Guid.NewGuid().ToString("N")[..24], paymentIntentId, amount);
        _refunds[refund.Id] = refund;
        intent["amount_refunded"] = refunded + amount;
        return Ok(new JsonObject
        {
            ["id"] = refund.Id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["currency"] = (string?)intent["currency"],
            ["payment_intent"] = paymentIntentId,
            ["status"] = "succeeded",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });
    }

    private static StubPaymentIntent ToIntent(JsonObject intent) => new(
        (string)intent["id"]!,
        Guid.TryParse((string?)intent["metadata"]?["order_id"], out var orderId) ? orderId : null,
        (long)intent["amount"]!,
        (string?)intent["currency"] ?? string.Empty,
        (string)intent["status"]!,
        (long)intent["amount_refunded"]!);

    private static StubResponse Ok(JsonObject body) => new(200, JsonNode.Parse(body.ToJsonString())!.AsObject());

    private static StubResponse NoSuchIntent(string id) =>
        Error(404, "invalid_request_error", "resource_missing", "intent", $"No such payment_intent: '{id}'");

    /// <summary>As Stripe answers a declined confirm: a card error carrying the intent, left ready for another payment method.</summary>
    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse Declined(JsonObject intent, string message, string declineCode)
    {
        intent["status"] = "requires_payment_method";
        intent["last_payment_error"] = new JsonObject { ["type"] = "card_error", ["code"] = "card_declined", ["message"] = message };
        Emit("payment_intent.payment_failed", intent);
        var response = Error(402, "card_error", "card_declined", null, message, declineCode);
        response.Body["error"]!["payment_intent"] = JsonNode.Parse(intent.ToJsonString());
        return response;
    }

    private static StubResponse Error(int statusCode, string type, string? code, string? param, string message, string? declineCode = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        return new StubResponse(statusCode, new JsonObject { ["error"] = error });
    }

    private sealed record StubResponse(int StatusCode, JsonObject Body);
}

/// <summary>A confirm whose answer the stub holds back (see <see cref="StripeStub.HoldNextConfirmation"/>).</summary>
public sealed class ConfirmHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the confirm has been processed (the money is taken) and its answer is held.</summary>
    public Task Charged => _reached.Task;

    internal Task Released => _released.Task;

    public void Release() => _released.TrySetResult();

    internal void Reached() => _reached.TrySetResult();
}
