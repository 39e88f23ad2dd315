using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>Keeps every log entry with its structured properties, as a log store would index them.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <summary>The messages whose <c>OrderId</c> property is <paramref name="orderId"/>.</summary>
    public List<string> MessagesFor(Guid orderId) => _entries
        .Where(e => e.Properties.TryGetValue("OrderId", out var value) && value is Guid id && id == orderId)
        .Select(e => e.Message)
        .ToList();

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value)
                : new Dictionary<string, object?>();
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), properties));
        }
    }
}
