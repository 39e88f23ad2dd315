using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Ticketing.Web.Hubs;

namespace Ticketing.Web.Security;

/// <summary>
/// One per circuit: makes its signed-in user known to <see cref="SignedInConnections"/>, so that the
/// end of that session signs the circuit out at once. A circuit keeps the user its tab connected with
/// and never reads the cookie again; revalidation (<see cref="IdentityRevalidatingAuthenticationStateProvider"/>)
/// notices a new security stamp only at its next check, and a plain sign-out in another tab never.
/// Signed out, the circuit renders as anonymous: a page that needs sign-in heads for the sign-in page
/// (<c>RedirectToLogin</c>), the layout shows the signed-out account menu, and the user's pages, with
/// their live order changes, are gone.
/// </summary>
/// <remarks>
/// The circuit's user changes when it is signed out, and when its tab reconnects (Blazor sets the user
/// of the new connection): each new user is registered afresh, so a tab reconnecting with a copy of an
/// ended session's cookie is signed out again.
/// </remarks>
internal sealed class SignedInCircuit(AuthenticationStateProvider authentication, SignedInConnections signedIn) : CircuitHandler, IDisposable
{
    private static readonly Task<AuthenticationState> SignedOut = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));

    private readonly Lock _gate = new();

    // Under _gate: the open circuit's id (null before it opens and once it closes), and the user it registered.
    private string? _circuitId;
    private Guid? _registered;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _circuitId = circuit.Id;
        }

        // Subscribed before reading the current user, so that no change is missed in between.
        authentication.AuthenticationStateChanged += Follow;
        Follow(authentication.GetAuthenticationStateAsync());
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        authentication.AuthenticationStateChanged -= Follow;
        lock (_gate)
        {
            Unregister();
            _circuitId = null;
        }
    }

    private void Follow(Task<AuthenticationState> state)
    {
        if (!state.IsCompleted)
        {
            // A server circuit's states are set complete; one that is not is followed when it is.
            _ = state.ContinueWith(_ => Follow(state), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        bool ended;
        lock (_gate)
        {
            // A later state may have been set meanwhile: that one counts.
            if (_circuitId is null || !IsCurrent(state))
            {
                return;
            }

            Unregister();
            if (!state.IsCompletedSuccessfully || state.Result.User.UserId() is not { } userId)
            {
                return;
            }

            ended = !signedIn.TryAdd(userId, _circuitId, state.Result.User, () => SignOut(state));
            if (!ended)
            {
                _registered = userId;
            }
        }

        // The tab connected as the session ended (its request carried the cookie a moment before).
        if (ended)
        {
            SignOut(state);
        }
    }

    /// <summary>
    /// Off the thread that ended the session (a sign-out's request, which need not wait for this tab to
    /// render) and outside the change of user that may have brought this one: the circuit renders the
    /// change on its own dispatcher, as it does when revalidation signs it out.
    /// </summary>
    private void SignOut(Task<AuthenticationState> ended) => ThreadPool.QueueUserWorkItem(_ =>
    {
        lock (_gate)
        {
            // Closed, or already another user (signed out by revalidation, a reconnect with a new sign-in).
            if (_circuitId is null || !IsCurrent(ended))
            {
                return;
            }
        }

        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(SignedOut);
        }
    });

    private bool IsCurrent(Task<AuthenticationState> state) => ReferenceEquals(authentication.GetAuthenticationStateAsync(), state);

    private void Unregister()
    {
        if (_registered is { } userId && _circuitId is { } id)
        {
            signedIn.Remove(userId, id);
        }

        _registered = null;
    }
}
