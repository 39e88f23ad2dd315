using Microsoft.Extensions.Configuration;

namespace Ticketing.Infrastructure;

public static class ConfigurationChoices
{
    /// <summary>
    /// A setting that names one member of <typeparamref name="TChoice"/>, in any case; unset or blank
    /// means <paramref name="fallback"/>. Anything else stops the start-up with the names it takes.
    /// Numbers are refused (unlike <see cref="Enum.Parse{TEnum}(string, bool)"/>), so that a typo never
    /// picks a member by its position.
    /// </summary>
    public static TChoice GetChoice<TChoice>(this IConfiguration configuration, string key, TChoice fallback)
        where TChoice : struct, Enum
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var names = Enum.GetNames<TChoice>();
        return names.FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<TChoice>(name)
            : throw new InvalidSettingException($"{key} must be {Alternatives(names)}, not '{value}'.");
    }

    private static string Alternatives(string[] names) =>
        names.Length == 1
            ? $"'{names[0]}'"
            : string.Join(", ", names[..^1].Select(n => $"'{n}'")) + $" or '{names[^1]}'";
}
