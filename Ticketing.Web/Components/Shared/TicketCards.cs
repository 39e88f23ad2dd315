using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// Listing cards as HTML (<see cref="TicketCard"/>), rendered once per listing version, time
/// zone and language and shared by every circuit that shows them. A card of markup elements costs a circuit some
/// fifty render-tree frames, kept twice (the current tree and the previous one for diffing); as one
/// markup string it costs one. With a thousand home pages open, a lock renders the card once, and
/// each circuit's diff finds one changed string.
/// </summary>
public sealed class TicketCards(IServiceScopeFactory scopes, ILoggerFactory loggers) : IDisposable
{
    // Cards of the listings people are looking at; a card not asked for in a while goes.
    private const int MaxCards = 4_096;
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCards });

    // Looking a card up and claiming it are one step: two circuits missing the same card at once
    // would otherwise both render it, and hold two copies.
    private readonly Lock _claim = new();

    /// <summary>The cards of <paramref name="tickets"/>, in order, with times in <paramref name="time"/>'s zone, in the circuit's language.</summary>
    public ValueTask<MarkupString[]> RenderAsync(IReadOnlyList<TicketSummary> tickets, BrowserTime time)
    {
        var zone = time.IsKnown ? time.Zone.Id : string.Empty;
        var culture = CultureInfo.CurrentUICulture;

        // The zone as of now: the circuit's own may change while the cards render.
        var at = new BrowserTime();
        at.TrySetZone(time.IsKnown ? zone : null);
        var cards = new Task<MarkupString>[tickets.Count];
        List<(TicketSummary Ticket, CardKey Key, TaskCompletionSource<MarkupString> Card)>? toRender = null;
        lock (_claim)
        {
            for (var i = 0; i < tickets.Count; i++)
            {
                var key = new CardKey(tickets[i].Id, tickets[i].Version, zone, culture.Name);
                if (!_cache.TryGetValue(key, out Task<MarkupString>? card) || card is null)
                {
                    // Whoever asks first renders; circuits asking meanwhile wait for the same card.
                    var rendering = new TaskCompletionSource<MarkupString>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _cache.Set(key, rendering.Task, Entry);
                    (toRender ??= []).Add((tickets[i], key, rendering));
                    card = rendering.Task;
                }

                cards[i] = card;
            }
        }

        return toRender is null && cards.All(c => c.IsCompletedSuccessfully)
            ? ValueTask.FromResult(Array.ConvertAll(cards, c => c.Result))
            : new ValueTask<MarkupString[]>(RenderAndWaitAsync(cards, toRender, at, culture));
    }

    public void Dispose() => _cache.Dispose();

    private async Task<MarkupString[]> RenderAndWaitAsync(
        Task<MarkupString>[] cards, List<(TicketSummary Ticket, CardKey Key, TaskCompletionSource<MarkupString> Card)>? toRender, BrowserTime time, CultureInfo culture)
    {
        if (toRender is not null)
        {
            try
            {
                // One renderer for the batch, in a scope of its own (a renderer asks for scoped services),
                // disposed with the cards it rendered.
                await using var scope = scopes.CreateAsyncScope();
                await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
                await renderer.Dispatcher.InvokeAsync(async () =>
                {
                    // The card's key names its language: render in that one, whatever thread this runs on.
                    CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
                    foreach (var (ticket, _, card) in toRender)
                    {
                        var html = await renderer.RenderComponentAsync<TicketCard>(ParameterView.FromDictionary(new Dictionary<string, object?>
                        {
                            [nameof(TicketCard.Ticket)] = ticket,
                            [nameof(TicketCard.Time)] = time,
                        }));
                        card.TrySetResult(new MarkupString(html.ToHtmlString()));
                    }
                });
            }
            catch (Exception e)
            {
                // Nobody waits forever on a card that failed, and the next page asks again.
                foreach (var (_, key, card) in toRender)
                {
                    if (card.TrySetException(e))
                    {
                        _cache.Remove(key);
                    }
                }
            }
        }

        return await Task.WhenAll(cards);
    }

    private readonly record struct CardKey(Guid Id, int Version, string Zone, string Culture);
}
