namespace Ticketing.Domain.Common;

/// <summary>
/// The wire names of an enum's values, taken from a class of string constants named like the values
/// (<c>OrderStatusNames.AwaitingPayment = "awaiting:payment"</c>). The constants stay the one place
/// each name is written, and what the API, the live feed and the pages compare against.
/// </summary>
public sealed class WireNames<TEnum>(Type constants)
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names = Enum.GetValues<TEnum>().ToDictionary(
        value => value,
        value => constants.GetField(value.ToString())?.GetRawConstantValue() as string
            ?? throw new InvalidOperationException($"{constants.Name} has no constant for {typeof(TEnum).Name}.{value}."));

    public string Of(TEnum value) =>
        _names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value));
}
