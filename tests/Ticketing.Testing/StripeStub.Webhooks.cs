using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Ticketing.Testing;

/// <summary>One event the stub sent (or holds), as Stripe would have sent it.</summary>
public sealed record StubWebhook(string EventId, string Type, string PaymentIntentId, string Payload);

/// <summary>
/// Stripe's webhooks: once told where to (<see cref="SendWebhooksTo"/>), the stub sends a signed
/// event, one at a time and in order, for each change of a PaymentIntent (<c>payment_intent.succeeded</c>,
/// <c>.payment_failed</c>, <c>.canceled</c>), retrying an answer other than 2xx a few times as
/// Stripe does. A test can hold them back, and deliver any again or in another order.
/// </summary>
public sealed partial class StripeStub
{
    private readonly Channel<StubWebhook> _outbox = Channel.CreateUnbounded<StubWebhook>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<StubWebhook> _sent = new();
    private readonly ConcurrentQueue<StubWebhook> _raised = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _pump;
    private WebhookTarget? _target;
    private WebhookHold? _webhookHold;
    private int _emitted;
    private int _settled;

    /// <summary>Every event delivered so far (whatever the app answered), in the order sent.</summary>
    public IReadOnlyList<StubWebhook> Webhooks => [.. _sent];

    /// <summary>Every event raised so far, in order, including those still held back.</summary>
    public IReadOnlyList<StubWebhook> RaisedWebhooks => [.. _raised];

    /// <summary>From now on each change of a PaymentIntent is sent, signed with <paramref name="secret"/>, to <c>/api/payments/webhook</c> on <paramref name="app"/>.</summary>
    public void SendWebhooksTo(HttpClient app, string secret) => Volatile.Write(ref _target, new WebhookTarget(app, secret));

    /// <summary>Events wait, in order, until the hold is released.</summary>
    public WebhookHold HoldWebhooks()
    {
        var hold = new WebhookHold();
        Volatile.Write(ref _webhookHold, hold);
        return hold;
    }

    /// <summary>Sends <paramref name="webhook"/> again now, signed afresh, as Stripe's retries and "resend" do.</summary>
    public async Task<int> RedeliverAsync(StubWebhook webhook)
    {
        var target = Volatile.Read(ref _target) ?? throw new InvalidOperationException("Call SendWebhooksTo first.");
        using var request = StripeEvents.Delivery(webhook.Payload, StripeEvents.Sign(webhook.Payload, target.Secret));
        using var response = await target.App.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>Waits until every event emitted so far has been delivered (or given up on).</summary>
    public Task WebhooksDeliveredAsync(TimeSpan? timeout = null) =>
        TicketingApp.WaitUntilAsync(
            () => Task.FromResult(Volatile.Read(ref _settled) == Volatile.Read(ref _emitted)),
            timeout ?? TimeSpan.FromSeconds(15),
            "the stub has delivered every webhook");

    /// <remarks>Called under <see cref="_gate"/>, right after the change, so that events leave in the order of the changes.</remarks>
    private void Emit(string type, JsonObject intent)
    {
        if (Volatile.Read(ref _target) is null)
        {
            return;
        }

        var eventId = "evt_stub_" + Guid.NewGuid().ToString("N")[..24];
        var webhook = new StubWebhook(eventId, type, (string)intent["id"]!, StripeEvents.Envelope(eventId, type, intent.ToJsonString()));
        Interlocked.Increment(ref _emitted);
        _raised.Enqueue(webhook);
        _outbox.Writer.TryWrite(webhook);
    }

    private void StartWebhookPump() => _pump = Task.Run(() => PumpAsync(_stopping.Token));

    private async Task StopWebhookPumpAsync()
    {
        Volatile.Read(ref _webhookHold)?.Release();
        _outbox.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_pump is not null)
        {
            try
            {
                await _pump;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    private async Task PumpAsync(CancellationToken stopping)
    {
        await foreach (var webhook in _outbox.Reader.ReadAllAsync(stopping))
        {
            if (Volatile.Read(ref _webhookHold) is { } hold)
            {
                await hold.Released.WaitAsync(stopping);
            }

            try
            {
                for (var attempt = 1; attempt <= 5; attempt++)
                {
                    var status = await RedeliverAsync(webhook);
                    if (status is >= 200 and < 300)
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), stopping);
                }
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                // The app is gone (the test ended): Stripe would retry for days; the stub gives up.
            }
            finally
            {
                _sent.Enqueue(webhook);
                Interlocked.Increment(ref _settled);
            }
        }
    }

    private sealed record WebhookTarget(HttpClient App, string Secret);
}

/// <summary>Webhooks held back by the stub (see <see cref="StripeStub.HoldWebhooks"/>).</summary>
public sealed class WebhookHold
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task Released => _released.Task;

    public void Release() => _released.TrySetResult();
}
