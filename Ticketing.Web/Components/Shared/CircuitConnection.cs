using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// Whether the browser tab of this circuit is connected. A circuit outlives a tab that went away
/// without saying so (a crash, a lost network, a phone that put it to sleep) for
/// <c>CircuitOptions.DisconnectedCircuitRetentionPeriod</c>, in case it comes back. Meanwhile it
/// still runs: revalidation signs a deleted account out and the page asks to go to the sign-in
/// page. A navigation sent to the missing tab waits for an answer that never comes, and the
/// framework logs the timeout (a <see cref="TaskCanceledException"/>) as a failed navigation and
/// an unhandled circuit error. So work that needs the tab waits here until the tab is back; if it
/// never comes back, the circuit ends with it undone, which is what a closed tab asks for.
/// Outside a circuit (a statically rendered page) the work runs at once.
/// </summary>
public sealed partial class CircuitConnection(ILogger<CircuitConnection> logger) : CircuitHandler
{
    private string? _awayCircuit;
    private Action? _whenBack;
    private string? _whenBackName;

    /// <summary>Runs <paramref name="action"/> now, or once the tab is back (only the latest such action).</summary>
    /// <param name="name">What the action does, for the log.</param>
    public void WhenConnected(string name, Action action)
    {
        if (_awayCircuit is null)
        {
            action();
            return;
        }

        _whenBack = action;
        _whenBackName = name;
        LogDeferred(_awayCircuit, name);
    }

    // Both run on the circuit's dispatcher, as do the components that call WhenConnected.
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _awayCircuit = circuit.Id;
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _awayCircuit = null;
        var (action, name) = (_whenBack, _whenBackName);
        (_whenBack, _whenBackName) = (null, null);
        if (action is not null)
        {
            LogResumed(circuit.Id, name!);
            action();
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The tab of circuit {CircuitId} is away: {Action} waits until it comes back")]
    private partial void LogDeferred(string circuitId, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The tab of circuit {CircuitId} is back: {Action}")]
    private partial void LogResumed(string circuitId, string action);
}
