using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ticketing.Bench;

/// <summary>
/// One Blazor Server circuit without a browser: what <c>blazor.web.js</c> does for a page that only
/// watches. It reads the prerendered page for its interactive components (the <c>&lt;!--Blazor:…--&gt;</c>
/// markers and the persisted state), speaks the circuit protocol to <c>/_blazor</c> (SignalR with
/// MessagePack, named "blazorpack"): <c>StartCircuit</c>, then <c>UpdateRootComponents</c> to add them,
/// acknowledges every render batch (<c>OnRenderCompleted</c>) and refuses every JavaScript call, having no
/// browser. It does not apply the batches to a DOM; it tells when one carries given text (a card's markup, an
/// attribute's value), which is when a browser would apply it. A thousand of these cost the bench little
/// CPU next to a thousand Chromium pages, so that the server's fan-out is what is measured.
/// </summary>
internal sealed partial class CircuitClient : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _readyWhen;
    private volatile byte[][]? _watching;
    private double _seenAt = -1;

    private CircuitClient(HubConnection connection, string readyWhen)
    {
        _connection = connection;
        _readyWhen = Encoding.UTF8.GetBytes(readyWhen);
        connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        connection.On<long, string, string, int, long, int>("JS.BeginInvokeJS", RefuseJavaScriptAsync);
    }

    /// <summary>When the watched text arrived, as Unix milliseconds; -1 until then.</summary>
    public double SeenAt => Volatile.Read(ref _seenAt);

    /// <summary>
    /// Loads <paramref name="page"/>, starts its circuit with the page's interactive components, and
    /// returns once a render batch has carried <paramref name="readyWhen"/> (the components rendered
    /// interactively).
    /// </summary>
    public static async Task<CircuitClient> OpenAsync(HttpClient http, Uri page, string readyWhen, CancellationToken cancellationToken = default)
    {
        var html = await http.GetStringAsync(page, cancellationToken);
        var markers = MarkerPattern().Matches(html)
            .Select(m => JsonNode.Parse(m.Groups["json"].Value)!.AsObject())
            .Where(m => m["type"]?.GetValue<string>() == "server" && m["descriptor"] is not null)
            .ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{page} has no interactive server components.");
        }

        var state = StatePattern().Match(html) is { Success: true } s ? s.Groups["state"].Value : string.Empty;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(page, "/_blazor"), HttpTransportType.WebSockets, o => o.SkipNegotiation = true);
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPack());
        var connection = builder.Build();
        connection.ServerTimeout = TimeSpan.FromMinutes(5);
        var client = new CircuitClient(connection, readyWhen);
        try
        {
            await connection.StartAsync(cancellationToken);
            var baseUri = new Uri(page, "/").ToString();
            var circuit = await connection.InvokeAsync<string?>("StartCircuit", baseUri, page.ToString(), "[]", state, cancellationToken);
            if (circuit is null)
            {
                throw new InvalidOperationException("The server refused to start the circuit.");
            }

            var operations = new JsonArray();
            for (var i = 0; i < markers.Count; i++)
            {
                markers[i]["uniqueId"] = i;
                operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = markers[i] });
            }

            await connection.SendAsync("UpdateRootComponents", new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString(), state, cancellationToken);
            await client._ready.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>From now, notes the first render batch that carries every one of <paramref name="texts"/>.</summary>
    public void Watch(params string[] texts)
    {
        Volatile.Write(ref _seenAt, -1);
        _watching = [.. texts.Select(Encoding.UTF8.GetBytes)];
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        if (_watching is { } texts && SeenAt < 0 && texts.All(t => batch.AsSpan().IndexOf(t) >= 0))
        {
            Volatile.Write(ref _seenAt, now);
            _watching = null;
        }

        if (!_ready.Task.IsCompleted && batch.AsSpan().IndexOf(_readyWhen) >= 0)
        {
            _ready.TrySetResult();
        }

        await _connection.SendAsync("OnRenderCompleted", batchId, (string?)null);
    }

    /// <summary>As a browser answers a call it cannot make: an error, which the component catches.</summary>
    private Task RefuseJavaScriptAsync(long asyncHandle, string identifier, string argsJson, int resultType, long targetInstanceId, int callType) =>
        asyncHandle == 0
            ? Task.CompletedTask
            : _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, false, JsonSerializer.Serialize<object[]>([asyncHandle, false, $"No browser to run '{identifier}'."]));

    [GeneratedRegex("<!--Blazor:(?<json>\\{.*?\\})-->")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(?<state>.*?)-->")]
    private static partial Regex StatePattern();

    /// <summary>SignalR's MessagePack protocol under the name Blazor's hub expects.</summary>
    private sealed class BlazorPack : IHubProtocol
    {
        private readonly MessagePackHubProtocol _inner = new();

        public string Name => "blazorpack";

        public int Version => _inner.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            _inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

        public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);
    }
}
