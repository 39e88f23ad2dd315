namespace Ticketing.Infrastructure;

/// <summary>
/// How often a use case decides again after its save lost a race (a row's concurrency token, or a
/// key another save took first). The winner has usually settled the question (the ticket sold, the
/// order paid, cancelled or refunded), so the next round answers from what it left; a row still
/// contended after that many rounds gives the caller the conflict.
/// </summary>
internal static class SaveRetries
{
    public const int MaxAttempts = 3;
}
