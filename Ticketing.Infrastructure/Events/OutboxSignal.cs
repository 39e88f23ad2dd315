using Ticketing.Infrastructure.Common;

namespace Ticketing.Infrastructure.Events;

/// <summary>Wakes the dispatcher right after a commit that wrote outbox rows.</summary>
public sealed class OutboxSignal : WakeSignal;
