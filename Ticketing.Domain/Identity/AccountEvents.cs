using Ticketing.Domain.Common;

namespace Ticketing.Domain.Identity;

/// <summary>
/// Someone asked for a password-reset link for <paramref name="Email"/>, which may belong to no account.
/// The request itself never looks: its answer and its work are the same either way, and the handler
/// that sends the link (if there is an account) runs after the answer. <paramref name="AggregateId"/>
/// names the request.
/// </summary>
public sealed record PasswordResetRequested(Guid AggregateId, int Version, DateTimeOffset OccurredAt, string Email) : IDomainEvent;

/// <summary>The signed-in account asked for its confirmation link again. <paramref name="AggregateId"/> names the request.</summary>
public sealed record EmailConfirmationRequested(Guid AggregateId, int Version, DateTimeOffset OccurredAt, Guid UserId) : IDomainEvent;
