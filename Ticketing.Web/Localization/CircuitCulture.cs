using System.Globalization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Localization;

namespace Ticketing.Web.Localization;

/// <summary>
/// The language of one circuit, taken from the request that opened it. A circuit's work does not
/// all run in that request's execution context: browser events and navigations arrive as separate
/// hub calls, and live pushes come from the outbox dispatcher's thread. Each of those applies it
/// first (<see cref="CircuitCultureHandler"/>, <c>LiveUpdates</c>), so that a page reached by a
/// click speaks the language of the page it came from (decision 30).
/// </summary>
public sealed class CircuitCulture
{
    public CircuitCulture(IHttpContextAccessor http)
    {
        var chosen = http.HttpContext?.Features.Get<IRequestCultureFeature>()?.RequestCulture;
        Culture = chosen?.Culture ?? CultureInfo.CurrentCulture;
        UICulture = chosen?.UICulture ?? CultureInfo.CurrentUICulture;
    }

    public CultureInfo Culture { get; }

    public CultureInfo UICulture { get; }

    /// <summary>Runs <paramref name="work"/> in the circuit's language; the caller's own is left as it was.</summary>
    public async Task RunAsync(Func<Task> work)
    {
        // Set inside this async method: the change ends with it and never leaks to the caller's thread.
        CultureInfo.CurrentCulture = Culture;
        CultureInfo.CurrentUICulture = UICulture;
        await work();
    }
}

/// <summary>Every call from the browser into a circuit runs in the circuit's language.</summary>
public sealed class CircuitCultureHandler(CircuitCulture culture) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context => culture.RunAsync(() => next(context));
}
