using Microsoft.AspNetCore.Components;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// A component that writes times in the browser's zone (<see cref="BrowserTime"/>, cascaded by the
/// layout): it renders again when the zone becomes known, which happens once the circuit has asked
/// the browser. A list derives from it once instead of giving every time on it a component.
/// </summary>
public abstract class ZoneAwareComponent : ComponentBase, IDisposable
{
    private BrowserTime? _subscribed;

    [CascadingParameter]
    public BrowserTime? Time { get; set; }

    public virtual void Dispose()
    {
        Unsubscribe();
        GC.SuppressFinalize(this);
    }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_subscribed, Time))
        {
            Unsubscribe();
            _subscribed = Time;
            if (_subscribed is not null)
            {
                _subscribed.Changed += OnZoneChanged;
            }
        }
    }

    private void Unsubscribe()
    {
        if (_subscribed is not null)
        {
            _subscribed.Changed -= OnZoneChanged;
        }
    }

    private void OnZoneChanged() => _ = InvokeAsync(StateHasChanged);
}
