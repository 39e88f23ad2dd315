namespace Ticketing.Web.Components.Shared;

/// <summary>
/// The page's one polite live region (<see cref="LiveRegion"/>), cascaded by the layout: components
/// say what changed (a milestone of a countdown, an order paid, a ticket just reserved) and screen
/// readers read it when the user pauses, once. It outlives the component that spoke, so a countdown
/// replaced the moment it expires is still heard (decision 29).
/// </summary>
public sealed class LiveAnnouncer
{
    private bool _repeat;

    /// <summary>What the region says now; empty until something happens.</summary>
    public string Message { get; private set; } = string.Empty;

    public event Action? Changed;

    public void Announce(string message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return;
        }

        // The same words twice in a row are no change to the region, so a second "1 minute left"
        // (another order) would be silent: a trailing no-break space makes it one.
        _repeat = message == Message.TrimEnd('\u00A0') && !_repeat;
        Message = _repeat ? message + "\u00A0" : message;
        Changed?.Invoke();
    }
}
