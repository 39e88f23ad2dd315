namespace Ticketing.Domain.Common;

/// <summary>The base of every expected failure: each maps to a clear client error, never a 500.</summary>
public abstract class DomainException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>A business rule refused the operation (HTTP 400).</summary>
public sealed class BusinessRuleViolationException(IBusinessRule rule) : DomainException(rule.Message, rule.Field)
{
    public IBusinessRule Rule { get; } = rule;
}

/// <summary>The thing asked for does not exist (HTTP 404).</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>The caller may not act on this resource (HTTP 401, as the original services answered).</summary>
public sealed class AccessDeniedException(string message = "Not authorized") : DomainException(message);

/// <summary>The caller's copy is stale: someone else changed the resource first (HTTP 409).</summary>
public sealed class ConcurrencyConflictException(string message) : DomainException(message);

/// <summary>The card was declined (HTTP 402); nothing changed.</summary>
public sealed class PaymentDeclinedException(string message) : DomainException(message);

/// <summary>An input field is missing or malformed (HTTP 400 with the field).</summary>
public sealed class InvalidInputException(string message, string field) : DomainException(message, field);
