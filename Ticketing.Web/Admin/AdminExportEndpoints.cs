using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Ticketing.Infrastructure.Admin;
using Ticketing.Infrastructure.Identity;
using Ticketing.Web.Admin;

// In the app's root namespace so that Program.cs maps it without another using.
namespace Ticketing.Web;

public static class AdminExportEndpoints
{
    public const string Path = "/admin/export.csv";

    /// <summary>
    /// <c>GET /admin/export.csv</c>: every listing and order as CSV, for admins only. Anonymous callers
    /// are sent to the sign-in page and signed-in non-admins to access denied, like the admin page.
    /// </summary>
    public static IEndpointRouteBuilder MapAdminExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync)
            .RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin })
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(AdminDashboard dashboard, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var listings = await dashboard.ListListingsAsync(cancellationToken);
        var orders = await dashboard.ListOrdersAsync(cancellationToken);
        var csv = AdminCsvExport.Build(listings, orders);

        // The file holds buyers' emails: keep it out of shared caches. The byte-order mark makes
        // spreadsheet programs read it as UTF-8 rather than a legacy code page.
        http.Response.Headers.CacheControl = "no-store";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray();
        var fileName = string.Create(CultureInfo.InvariantCulture, $"ticketing-export-{clock.GetUtcNow():yyyy-MM-dd}.csv");
        return TypedResults.File(bytes, "text/csv; charset=utf-8", fileName);
    }
}
