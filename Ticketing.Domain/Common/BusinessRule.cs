namespace Ticketing.Domain.Common;

/// <summary>
/// A rule decided by what its constructor is given. Each rule is a class of its own, so that its name
/// says which rule refused an operation; this base holds what every rule keeps.
/// </summary>
public abstract class BusinessRule(bool isBroken, string message, string? field = null) : IBusinessRule
{
    public string Message { get; } = message;

    public string? Field { get; } = field;

    public bool IsBroken() => isBroken;

    /// <summary>Refuses the operation when <paramref name="rule"/> is broken.</summary>
    public static void Check(IBusinessRule rule)
    {
        if (rule.IsBroken())
        {
            throw new BusinessRuleViolationException(rule);
        }
    }
}
