using MudBlazor;

namespace Ticketing.Web.Components.Layout;

/// <summary>The app's palette: indigo with a warm coral accent; status colours chosen to read as traffic lights.</summary>
public static class TicketingTheme
{
    /// <summary>A colour role with its shade in light and in dark mode; no shade keeps MudBlazor's default.</summary>
    private sealed record Role(Action<Palette, string> Paint, string? Light, string Dark);

    // One line a role, so that its two shades are chosen side by side.
    private static readonly Role[] Roles =
    [
        new((p, c) => p.Primary = c, "#4f46e5", "#a5a0fa"),
        new((p, c) => p.PrimaryContrastText = c, "#ffffff", "#0f0d2e"),
        new((p, c) => p.Secondary = c, "#f43f5e", "#fb7185"),
        new((p, c) => p.Tertiary = c, "#0d9488", "#2dd4bf"),

        // Light: dark enough for white text on a filled chip and for their own text on a tinted one.
        // Dark: bright on the dark surface, so filled chips and buttons carry dark text. Both WCAG AA, 4.5:1.
        new((p, c) => p.Success = c, "#166534", "#22c55e"),
        new((p, c) => p.SuccessContrastText = c, null, "#052e16"),
        new((p, c) => p.Warning = c, "#92400e", "#f59e0b"),
        new((p, c) => p.WarningContrastText = c, null, "#1f1300"),
        new((p, c) => p.Error = c, "#b91c1c", "#f87171"),
        new((p, c) => p.ErrorContrastText = c, null, "#2a0a0a"),
        new((p, c) => p.Info = c, "#1d4ed8", "#60a5fa"),
        new((p, c) => p.InfoContrastText = c, null, "#0b1a33"),

        new((p, c) => p.Background = c, "#f5f6fb", "#111320"),
        new((p, c) => p.BackgroundGray = c, "#eceef6", "#181b2b"),
        new((p, c) => p.Surface = c, "#ffffff", "#1a1d2e"),
        new((p, c) => p.AppbarBackground = c, "#ffffff", "#161929"),
        new((p, c) => p.AppbarText = c, "#1e1b4b", "#e7e8f3"),
        new((p, c) => p.DrawerBackground = c, "#ffffff", "#161929"),
        new((p, c) => p.TextPrimary = c, "#1f2233", "#e7e8f3"),
        new((p, c) => p.TextSecondary = c, "#5b6075", "#a3a7c2"),
        new((p, c) => p.LinesDefault = c, "#e3e5ee", "#2c3048"),
        new((p, c) => p.Divider = c, "#e3e5ee", "#2c3048"),
    ];

    public static MudTheme Instance { get; } = new()
    {
        PaletteLight = Painted(new PaletteLight(), role => role.Light),
        PaletteDark = Painted(new PaletteDark(), role => role.Dark),
        // Sentence-case buttons read calmer than Material's capitals.
        Typography = new Typography
        {
            Button = new ButtonTypography { TextTransform = "none", FontWeight = "600", LetterSpacing = ".01em" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "10px",
            AppbarHeight = "64px",
        },
    };

    private static TPalette Painted<TPalette>(TPalette palette, Func<Role, string?> shade)
        where TPalette : Palette
    {
        foreach (var role in Roles)
        {
            if (shade(role) is { } colour)
            {
                role.Paint(palette, colour);
            }
        }

        return palette;
    }
}
