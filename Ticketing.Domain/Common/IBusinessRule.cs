namespace Ticketing.Domain.Common;

public interface IBusinessRule
{
    bool IsBroken();

    string Message { get; }

    /// <summary>The input field the rule is about, when it validates one.</summary>
    string? Field => null;
}
