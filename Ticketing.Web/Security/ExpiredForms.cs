using Microsoft.AspNetCore.Antiforgery;
using Ticketing.Web.Api;
using Ticketing.Web.Components.Account;

namespace Ticketing.Web.Security;

/// <summary>
/// A page's form whose antiforgery token no longer fits is an ordinary event, not an attack to
/// answer with a developer's message: the page was opened before someone signed in or out in
/// another tab, or before the sign-in expired. Nothing of the post is acted on; the browser is sent
/// (303, so it asks with GET) to a page that says so and leads back to the form.
/// </summary>
public static class ExpiredForms
{
    public const string PagePath = "/form-expired";

    /// <summary>After <c>UseAntiforgery</c>, which records the verdict this reads.</summary>
    public static IApplicationBuilder UseExpiredFormPage(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false } && !ApiRegistration.IsApiCall(context))
            {
                var back = context.Request.Path + context.Request.QueryString;
                context.Response.Redirect($"{PagePath}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(back))}");
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                return Task.CompletedTask;
            }

            return next(context);
        });
}
