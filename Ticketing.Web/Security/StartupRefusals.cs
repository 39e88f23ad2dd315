using System.Text.RegularExpressions;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Web.Security;

/// <summary>
/// Settings the app will not run without outside Development, each named with what to set. Every
/// one of them would otherwise fail quietly in production: the built-in test gateway would hand out
/// tickets for <c>tok_visa</c>, Stripe webhooks could not be verified, the order page could take no
/// card, or anyone who read the README could sign in as the admin.
/// </summary>
public static partial class StartupRefusals
{
    /// <summary>What must be fixed before the app may start; empty when nothing.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string>(ForwardedHeadersSetup.Problems(configuration));
        if (configuration["Ordering:MaxLiveOrdersPerBuyer"] is { Length: > 0 } maxLive
            && (!int.TryParse(maxLive, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var max) || max < 1))
        {
            problems.Add($"Ordering:MaxLiveOrdersPerBuyer must be a whole number of at least 1, not '{maxLive}'.");
        }

        if (environment.IsDevelopment())
        {
            return problems;
        }

        var allowTestGateway = configuration["Payments:AllowTestGateway"];
        var testGatewayAllowed = false;
        if (!string.IsNullOrWhiteSpace(allowTestGateway) && !bool.TryParse(allowTestGateway, out testGatewayAllowed))
        {
            problems.Add($"Payments:AllowTestGateway must be true or false, not '{allowTestGateway}'.");
        }

        if (string.IsNullOrWhiteSpace(configuration["Stripe:SecretKey"]))
        {
            if (!testGatewayAllowed)
            {
                problems.Add("Stripe:SecretKey is not set, so payments would go through the built-in test gateway, which accepts tok_visa for any ticket: "
                    + "set Stripe:SecretKey (and Stripe:WebhookSecret), or set Payments:AllowTestGateway=true to run without real payments on purpose.");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(configuration["Stripe:WebhookSecret"]))
            {
                problems.Add("Stripe:WebhookSecret is not set while Stripe:SecretKey is: set it to the webhook endpoint's signing secret (whsec_...), "
                    + "or Stripe's payment confirmations cannot be verified.");
            }

            if (string.IsNullOrWhiteSpace(configuration["Stripe:PublishableKey"]))
            {
                problems.Add("Stripe:PublishableKey is not set while Stripe:SecretKey is: set it to the account's publishable key (pk_...), "
                    + "or the order page cannot show Stripe's card form and no buyer can pay.");
            }
        }

        var adminPassword = configuration["Admin:Password"];
        if (string.IsNullOrWhiteSpace(adminPassword))
        {
            problems.Add("Admin:Password is not set: set it to the admin account's password (8 to 128 characters).");
        }
        else if (adminPassword == DatabaseInitializer.DefaultAdminPassword)
        {
            problems.Add("Admin:Password is the documented default password: set it to a password of your own.");
        }
        else if (adminPassword.Length is < PasswordLengthValidator.MinLength or > PasswordLengthValidator.MaxLength)
        {
            problems.Add($"Admin:Password must be {PasswordLengthValidator.MinLength} to {PasswordLengthValidator.MaxLength} characters.");
        }

        return problems;
    }

    /// <summary>
    /// The settings bound to the app's options that cannot be read or break their rules (a word
    /// where a number goes, a limit of 0), found by the checks the host would otherwise run once
    /// started, after the database was migrated, and report as a crash with a stack trace.
    /// </summary>
    public static IReadOnlyList<string> InOptions(IServiceProvider services, IConfiguration configuration)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }
        catch (InvalidOperationException ex) when (UnreadableSetting().Match(ex.Message) is { Success: true } unreadable)
        {
            var key = unreadable.Groups["key"].Value;
            return [$"{key} must be {Expected(unreadable.Groups["type"].Value)}, not '{configuration[key]}'."];
        }
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a length of time such as 00:00:30",
        _ => $"a value of type {type}",
    };

    // The configuration binder's words for a value it cannot convert.
    [GeneratedRegex("^Failed to convert configuration value (?:'[^']*' )?at '(?<key>[^']+)' to type '(?:System\\.Nullable`1\\[\\[)?(?<type>[^,'\\]]+)")]
    private static partial Regex UnreadableSetting();
}
