using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ticketing.Infrastructure.Tests.Payments;

/// <summary>One request as the stub received it, to assert what Stripe.net really sent.</summary>
public sealed record RecordedStripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Form,
    string? IdempotencyKey,
    string? Authorization);

/// <summary>
/// A local stand-in for the part of Stripe's HTTP API the gateway uses: form-encoded
/// <c>POST /v1/payment_intents</c> and <c>POST /v1/refunds</c>, Stripe-shaped JSON and errors, Stripe's
/// test payment methods, and Stripe's idempotency (the first response for a key is replayed).
/// Every request is recorded. Runs on a real Kestrel socket so Stripe.net's own HTTP stack is used.
/// </summary>
public sealed class StripeStub : IAsyncDisposable
{
    public const string SecretKey = "sk_test_stub_4eC39HqLyjWDarjtT1zdp7dc";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedStripeRequest> _requests = new();
    private readonly Dictionary<string, StubResponse> _idempotentResponses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _paymentIntents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _refunds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private StripeStub(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The stub's address, e.g. <c>http://127.0.0.1:51234</c>: the <c>apiBase</c> for Stripe.net.</summary>
    public string BaseUrl { get; }

    public IReadOnlyList<RecordedStripeRequest> Requests => [.. _requests];

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

    public static async Task<StripeStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();

        StripeStub? stub = null;
        app.MapPost("/v1/payment_intents", (HttpContext context) => stub!.HandleAsync(context, form => stub.CreatePaymentIntent(form)));
        app.MapPost("/v1/refunds", (HttpContext context) => stub!.HandleAsync(context, form => stub.CreateRefund(form)));
        app.MapFallback((HttpContext context) => stub!.HandleAsync(context, _ => Error(404, "invalid_request_error", null, null,
            $"Unrecognized request URL ({context.Request.Method}: {context.Request.Path}).")));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub = new StripeStub(app, address.TrimEnd('/'));
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, Func<IReadOnlyDictionary<string, string>, StubResponse> create)
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

        StubResponse response;
        var replayed = false;
        lock (_gate)
        {
            // Stripe keeps the first response for a key, errors included, and replays it.
            if (idempotencyKey is not null && _idempotentResponses.TryGetValue(idempotencyKey, out var stored))
            {
                response = stored;
                replayed = true;
            }
            else
            {
                response = create(form);
                if (idempotencyKey is not null)
                {
                    _idempotentResponses[idempotencyKey] = response;
                }
            }
        }

        if (replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        await SendAsync(context, response);
    }

    private static async Task SendAsync(HttpContext context, StubResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("N")[..14];
        await context.Response.WriteAsync(response.Body.ToJsonString());
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse CreatePaymentIntent(IReadOnlyDictionary<string, string> form)
    {
        var isToken = !form.ContainsKey("payment_method") && form.ContainsKey("payment_method_data[card][token]");
        var token = form.GetValueOrDefault("payment_method") ?? form.GetValueOrDefault("payment_method_data[card][token]");
        if (!long.TryParse(form.GetValueOrDefault("amount"), out var amount) || amount < 50)
        {
            return Error(400, "invalid_request_error", "amount_too_small", "amount", "Amount must be at least $0.50 usd");
        }

        string status;
        switch (token)
        {
            case "pm_card_visa" or "tok_visa" or "pm_card_mastercard" or "tok_mastercard":
                status = "succeeded";
                break;
            case "pm_card_authenticationRequired" or "tok_threeDSecure2Required":
                status = "requires_action";
                break;
            case "pm_card_chargeDeclined" or "tok_chargeDeclined":
                return Error(402, "card_error", "card_declined", null, "Your card was declined.", "generic_decline");
            case "pm_card_chargeDeclinedInsufficientFunds" or "tok_chargeDeclinedInsufficientFunds":
                return Error(402, "card_error", "card_declined", null, "Your card has insufficient funds.", "insufficient_funds");
            default:
                return isToken
                    ? Error(400, "invalid_request_error", "resource_missing", "payment_method_data[card][token]", $"No such token: '{token}'")
                    : Error(400, "invalid_request_error", "resource_missing", "payment_method", $"No such PaymentMethod: '{token}'");
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
            ["amount_received"] = status == "succeeded" ? amount : 0,
            ["currency"] = form.GetValueOrDefault("currency"),
            ["status"] = status,
            ["description"] = form.GetValueOrDefault("description"),
            ["metadata"] = metadata,
            ["payment_method"] = "pm_stub_" + Guid.NewGuid().ToString("N")[..24],
            ["payment_method_types"] = new JsonArray("card"),
            ["capture_method"] = "automatic",
            ["confirmation_method"] = "automatic",
            ["client_secret"] = id + "_secret_stub",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
        };
        _paymentIntents[id] = intent;
        return new StubResponse(200, intent);
    }

    /// <remarks>Called under <see cref="_gate"/>.</remarks>
    private StubResponse CreateRefund(IReadOnlyDictionary<string, string> form)
    {
        var paymentIntentId = form.GetValueOrDefault("payment_intent") ?? string.Empty;
        if (!_paymentIntents.TryGetValue(paymentIntentId, out var intent))
        {
            return Error(400, "invalid_request_error", "resource_missing", "payment_intent", $"No such payment_intent: '{paymentIntentId}'");
        }

        var amount = form.TryGetValue("amount", out var amountText) ? long.Parse(amountText) : (long)intent["amount"]!;
        var id = "re_stub_" + Guid.NewGuid().ToString("N")[..24];
        var refund = new JsonObject
        {
            ["id"] = id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["currency"] = (string?)intent["currency"],
            ["payment_intent"] = paymentIntentId,
            ["status"] = "succeeded",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        _refunds[id] = refund;
        return new StubResponse(200, refund);
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
