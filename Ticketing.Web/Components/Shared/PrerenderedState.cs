using System.Text.Json;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// State a prerendered page hands to its circuit (<c>[PersistentState]</c>) so that the circuit
/// shows it at once instead of a skeleton. It travels in the page, and back to the server in the
/// circuit's first message, which SignalR refuses above 32 KB: the circuit would then never start.
/// Blazor writes it as JSON (non-ASCII escaped), base64-encodes it, protects it and base64-encodes
/// it again, about 1.8 bytes sent per byte of JSON; so a page carries its state only when the JSON
/// fits <see cref="MaxJsonBytes"/>, and otherwise loads again once the circuit starts.
/// </summary>
public static class PrerenderedState
{
    public const int MaxJsonBytes = 12 * 1024;

    /// <summary><paramref name="state"/> when it is small enough to carry into the circuit, else null.</summary>
    public static T? IfSmall<T>(T state)
        where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(state, JsonSerializerOptions.Web).Length <= MaxJsonBytes ? state : null;
}
