using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Ticketing.Web.Security;

namespace Ticketing.Web.Hubs;

public enum SessionsEndedBy
{
    /// <summary>One sign-in signed out: its connections end, the account's other sign-ins keep theirs.</summary>
    SignOut,

    /// <summary>The account's security stamp changed (password changed or reset, two-factor changed): every sign-in before it ends.</summary>
    NewSecurityStamp,

    /// <summary>The account is gone.</summary>
    AccountDeleted,
}

/// <summary>What ended, as the Redis relay carries it to the other instances.</summary>
/// <param name="Key">
/// For <see cref="SessionsEndedBy.SignOut"/> the sign-in's id (null for a cookie issued before sign-ins
/// had ids); for <see cref="SessionsEndedBy.NewSecurityStamp"/> the account's stamp now.
/// </param>
public sealed record SessionsEnded(Guid UserId, SessionsEndedBy By, string? Key)
{
    public bool Ends(string? signIn, string? stamp) => By switch
    {
        SessionsEndedBy.SignOut => signIn == Key,
        SessionsEndedBy.NewSecurityStamp => stamp != Key,
        _ => true,
    };
}

/// <summary>
/// The live connections of each signed-in user: hub connections and Blazor circuits (a circuit runs on
/// a connection to Blazor's own hub), with the sign-in and security stamp their cookie carried. A
/// connection keeps the identity it was opened with, and Identity's cookies are not server-side
/// sessions: without this, a connection opened before a sign-out (another tab, a JS client) kept
/// receiving the user's <see cref="LiveMethods.OrderUpdated"/>, and another tab's circuit kept showing
/// the user's pages. Ending sessions aborts their hub connections and signs their circuits out
/// (<see cref="SignedInCircuit"/>) at once; a client that reconnects without the cookie is anonymous
/// and hears only the public ticket events.
/// </summary>
/// <remarks>
/// An ended session is also remembered for <see cref="SessionRevalidationOptions.RevalidationSeconds"/>,
/// and a connection that still brings it in that time is served as anonymous
/// (<see cref="LiveUserIds"/>): a client that kept the cookie and reconnects at once, or one whose
/// connection was being opened while the session ended; the cookie itself is refused in that time
/// (<see cref="SignIns.RefuseEnded"/>). After that window, the cookie check refuses a cookie with an
/// old security stamp; a signed-out cookie that a non-browser client kept is as valid for the hub as
/// for the API until it expires (only server-side sessions would change that).
/// </remarks>
public sealed partial class SignedInConnections(
    TimeProvider clock,
    IOptions<IdentityOptions> identity,
    IOptions<SessionRevalidationOptions> session,
    ILogger<SignedInConnections> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Connection>> _byUser = [];
    // By user: every signed-in request asks (SignIns.RefuseEnded), and reads only its own user's ends.
    private readonly Dictionary<Guid, List<(SessionsEnded End, DateTimeOffset Until)>> _recentlyEnded = [];
    private DateTimeOffset _nextPrune;

    /// <summary>Sessions ended on this instance, for the Redis relay to tell the others.</summary>
    public event Action<SessionsEnded>? Ended;

    public void Add(HubCallerContext context)
    {
        if (Guid.TryParse(context.UserIdentifier, out var userId) && context.User is { } user
            && !TryAdd(userId, context.ConnectionId, user, () => Abort(context)))
        {
            Abort(context);
        }
    }

    public void Remove(HubCallerContext context)
    {
        if (Guid.TryParse(context.UserIdentifier, out var userId))
        {
            Remove(userId, context.ConnectionId);
        }
    }

    /// <summary>
    /// Knows <paramref name="user"/>'s connection <paramref name="id"/> (a hub connection's or a circuit's
    /// id), and calls <paramref name="end"/> once its session ends. False, and nothing known, when that
    /// session has already ended: the connection was being opened as it ended, and must end too.
    /// </summary>
    /// <param name="end">Called outside this registry's lock, on the thread that ends the session.</param>
    public bool TryAdd(Guid userId, string id, ClaimsPrincipal user, Action end)
    {
        var connection = new Connection(id, end, SignIns.IdOf(user), StampOf(user));
        lock (_gate)
        {
            // Checked under the lock that ending takes too: a session that ended while this connection
            // was being opened is either seen here or sees the connection.
            if (IsRecentlyEnded(userId, connection.SignIn, connection.Stamp))
            {
                return false;
            }

            if (!_byUser.TryGetValue(userId, out var connections))
            {
                _byUser[userId] = connections = [];
            }

            connections.Add(connection);
            return true;
        }
    }

    public void Remove(Guid userId, string id)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(userId, out var connections)
                && connections.RemoveAll(c => c.Id == id) > 0 && connections.Count == 0)
            {
                _byUser.Remove(userId);
            }
        }
    }

    /// <summary>Ends the sessions here and tells the other instances (through the relay, when there is one).</summary>
    public void End(SessionsEnded end)
    {
        Apply(end);
        Ended?.Invoke(end);
    }

    /// <summary>Sessions another instance ended.</summary>
    public void ApplyRelayed(SessionsEnded end) => Apply(end);

    /// <summary>Whether a connection bringing <paramref name="user"/> belongs to a session that ended a moment ago.</summary>
    public bool IsRecentlyEnded(Guid userId, ClaimsPrincipal user)
    {
        lock (_gate)
        {
            return IsRecentlyEnded(userId, SignIns.IdOf(user), StampOf(user));
        }
    }

    private void Apply(SessionsEnded end)
    {
        List<Connection> ending;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            PruneEnded(now);
            if (!_recentlyEnded.TryGetValue(end.UserId, out var ends))
            {
                _recentlyEnded[end.UserId] = ends = [];
            }

            ends.RemoveAll(e => e.Until <= now || (end.By == SessionsEndedBy.NewSecurityStamp && e.End.By == SessionsEndedBy.NewSecurityStamp));
            ends.Add((end, now + session.Value.RevalidationInterval));

            if (!_byUser.TryGetValue(end.UserId, out var connections))
            {
                return;
            }

            ending = connections.Where(c => end.Ends(c.SignIn, c.Stamp)).ToList();
        }

        // Outside the lock: ending a connection runs its disconnect (or the circuit's change of user),
        // which removes it.
        foreach (var connection in ending)
        {
            connection.End();
        }

        if (ending.Count > 0)
        {
            LogEnded(ending.Count, end.UserId, end.By);
        }
    }

    private bool IsRecentlyEnded(Guid userId, string? signIn, string? stamp)
    {
        if (!_recentlyEnded.TryGetValue(userId, out var ends))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        return ends.Exists(e => e.Until > now && e.End.Ends(signIn, stamp));
    }

    /// <summary>Forgets the users whose ends are all past their memory, at most once per memory's length.</summary>
    private void PruneEnded(DateTimeOffset now)
    {
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + session.Value.RevalidationInterval;
        foreach (var (userId, ends) in _recentlyEnded)
        {
            if (ends.TrueForAll(e => e.Until <= now))
            {
                _recentlyEnded.Remove(userId);
            }
        }
    }

    /// <summary>
    /// The hub's own <see cref="HubCallerContext.Abort"/> tells the client not to reconnect; aborting
    /// the transport lets a client with automatic reconnect come back, as anonymous now, and keep
    /// hearing the market.
    /// </summary>
    private static void Abort(HubCallerContext context)
    {
        if (context.Features.Get<IConnectionLifetimeFeature>() is { } transport)
        {
            transport.Abort();
        }
        else
        {
            context.Abort();
        }
    }

    private string? StampOf(ClaimsPrincipal user) => user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);

    private sealed record Connection(string Id, Action End, string? SignIn, string? Stamp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {Count} live connections (hub connections, circuits) of user {UserId} ({By})")]
    private partial void LogEnded(int count, Guid userId, SessionsEndedBy by);
}

/// <summary>
/// SignalR's user of a connection, for <c>Clients.User</c>: the Identity user id, as SignalR's own
/// provider reads it, except for a connection whose session has just ended (<see cref="SignedInConnections"/>),
/// which is served as anonymous.
/// </summary>
internal sealed class LiveUserIds(SignedInConnections connections) : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.UserId() is { } id && !connections.IsRecentlyEnded(id, connection.User) ? id.ToString() : null;
}
