using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Testing;

/// <summary>
/// Every measurement one app reports on one meter, by instrument, in the order they were made. Only
/// the meter of the host whose services are given is heard, not a meter of the same name in another
/// app of the same process.
/// </summary>
public sealed class HostMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _heard = [];

    public HostMeter(IServiceProvider services, string meterName)
    {
        var host = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, host) && instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of one instrument so far: each value with its tags.</summary>
    public List<(double Value, KeyValuePair<string, object?>[] Tags)> Of(string instrument)
    {
        lock (_heard)
        {
            return _heard.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();
        }
    }

    /// <summary>Forgets the measurements heard so far.</summary>
    public void Reset()
    {
        lock (_heard)
        {
            _heard.Clear();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var kept = tags.ToArray();
        lock (_heard)
        {
            _heard.Add((instrument.Name, value, kept));
        }
    }
}
