using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ticketing.Web.Tests.Admin;

/// <summary>One SQL command as EF ran it: its text, its parameters and how many rows were read from it.</summary>
public sealed record RecordedCommand(long Sequence, string Text, IReadOnlyDictionary<string, object?> Parameters)
{
    /// <summary>Set when the command's reader closes: until then the query is still being read.</summary>
    public bool Finished { get; set; }

    /// <summary>
    /// Rows read, as EF counts its reader's Read calls: a result read to its end counts one more, the
    /// call that found no further row.
    /// </summary>
    public int Reads { get; set; }
}

/// <summary>
/// Records the commands EF Core runs against one database file, through EF's own diagnostic events
/// (no change to the app's wiring): what a query asked of SQL, and how many rows came back. By default
/// only the commands of the test's own flow count: the app's background work (outbox, expiry) runs
/// queries of its own on the same file at any time.
/// </summary>
/// <remarks>
/// EF Core's events are heard from the moment this assembly loads (<see cref="EfCommandEvents"/>), not
/// from the recorder's creation: a context re-reads whether anyone listens at most once a second, and
/// the app's contexts are pooled, so one leased again right after a late subscription would still not tell.
/// </remarks>
public sealed class SqlRecorder : IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private static readonly AsyncLocal<SqlRecorder?> Flow = new();

    private readonly string _databasePath;
    private readonly bool _thisFlowOnly;
    private readonly ConcurrentDictionary<Guid, RecordedCommand> _commands = new();
    private volatile bool _recording;
    private long _sequence;

    /// <param name="thisFlowOnly">False to record every command on the file, e.g. those a request runs in the server.</param>
    public SqlRecorder(string databasePath, bool thisFlowOnly = true)
    {
        _databasePath = databasePath;
        _thisFlowOnly = thisFlowOnly;
        EfCommandEvents.Recorders[this] = true;
    }

    /// <summary>The commands started since <see cref="Start"/>, in the order they started.</summary>
    public List<RecordedCommand> Commands => [.. _commands.Values.OrderBy(c => c.Sequence)];

    /// <summary>Starts recording; called synchronously, so that the caller's flow carries the mark.</summary>
    public void Start()
    {
        Flow.Value = this;
        _commands.Clear();
        _recording = true;
    }

    /// <summary>The commands run while <paramref name="action"/> ran, in the order they started.</summary>
    public async Task<List<RecordedCommand>> RecordAsync(Func<Task> action)
    {
        Start();
        try
        {
            await action();
        }
        finally
        {
            _recording = false;
        }

        return Commands;
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (!_recording)
        {
            return;
        }

        switch (value.Value)
        {
            case CommandEventData executing when value.Key == RelationalEventId.CommandExecuting.Name && IsOurs(executing):
                _commands[executing.CommandId] = new RecordedCommand(
                    Interlocked.Increment(ref _sequence),
                    executing.Command.CommandText,
                    executing.Command.Parameters.Cast<System.Data.Common.DbParameter>().ToDictionary(p => p.ParameterName, p => (object?)p.Value));
                break;
            case DataReaderDisposingEventData disposing when _commands.TryGetValue(disposing.CommandId, out var command):
                command.Reads = disposing.ReadCount;
                command.Finished = true;
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => EfCommandEvents.Recorders.TryRemove(this, out _);

    private bool IsOurs(CommandEventData data) =>
        (!_thisFlowOnly || ReferenceEquals(Flow.Value, this))
        && data.Command.Connection?.DataSource is { } source && Path.GetFullPath(source) == Path.GetFullPath(_databasePath);
}

/// <summary>EF Core's command events, heard for the whole test run and handed to the recorders alive.</summary>
internal sealed class EfCommandEvents : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    public static readonly ConcurrentDictionary<SqlRecorder, bool> Recorders = new();

    private static readonly HashSet<string> Heard = [RelationalEventId.CommandExecuting.Name!, RelationalEventId.DataReaderDisposing.Name!];

#pragma warning disable CA2255 // A test assembly: listening from its load on is the point (see SqlRecorder).
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Listen() => DiagnosticListener.AllListeners.Subscribe(new EfCommandEvents());

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            listener.Subscribe(this, Heard.Contains);
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        foreach (var recorder in Recorders.Keys)
        {
            recorder.OnNext(value);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
