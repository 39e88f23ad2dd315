using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ticketing.Web.Localization;

namespace Ticketing.Web.Tests.Components.Support;

/// <summary>The app's localizer outside a component, as the DI container builds it.</summary>
public static class Localizers
{
    public static IStringLocalizer<UiStrings> Ui { get; } = new StringLocalizer<UiStrings>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
}
