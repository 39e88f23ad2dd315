using MudBlazor;

namespace Ticketing.Web.Components.Layout;

/// <summary>The app's palette: indigo with a warm coral accent; status colours chosen to read as traffic lights.</summary>
public static class TicketingTheme
{
    public static MudTheme Instance { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            PrimaryContrastText = "#ffffff",
            Secondary = "#f43f5e",
            Tertiary = "#0d9488",
            // Dark enough for white text on a filled chip and for their own text on a tinted one (WCAG AA, 4.5:1).
            Success = "#166534",
            Warning = "#92400e",
            Error = "#b91c1c",
            Info = "#1d4ed8",
            Background = "#f5f6fb",
            BackgroundGray = "#eceef6",
            Surface = "#ffffff",
            AppbarBackground = "#ffffff",
            AppbarText = "#1e1b4b",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1f2233",
            TextSecondary = "#5b6075",
            LinesDefault = "#e3e5ee",
            Divider = "#e3e5ee",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a5a0fa",
            PrimaryContrastText = "#0f0d2e",
            Secondary = "#fb7185",
            Tertiary = "#2dd4bf",
            // Bright on the dark surface, so filled chips and buttons carry dark text (WCAG AA, 4.5:1).
            Success = "#22c55e",
            SuccessContrastText = "#052e16",
            Warning = "#f59e0b",
            WarningContrastText = "#1f1300",
            Error = "#f87171",
            ErrorContrastText = "#2a0a0a",
            Info = "#60a5fa",
            InfoContrastText = "#0b1a33",
            Background = "#111320",
            BackgroundGray = "#181b2b",
            Surface = "#1a1d2e",
            AppbarBackground = "#161929",
            AppbarText = "#e7e8f3",
            DrawerBackground = "#161929",
            TextPrimary = "#e7e8f3",
            TextSecondary = "#a3a7c2",
            LinesDefault = "#2c3048",
            Divider = "#2c3048",
        },
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
}
