using System.Globalization;
using Ticketing.Infrastructure.Admin;
using Ticketing.Web.Admin;

// In the app's root namespace, like the pages that link to it.
namespace Ticketing.Web;

public static class AdminExportEndpoints
{
    public const string Path = "/admin/export.csv";

    /// <summary>
    /// <c>GET /admin/export.csv</c>: every listing and order as CSV, for admins only. Anonymous callers
    /// are sent to the sign-in page and signed-in non-admins to access denied, like the admin page.
    /// </summary>
    internal static IResult Export(AdminDashboard dashboard, TimeProvider clock, HttpContext http)
    {
        // The file holds buyers' emails: keep it out of shared caches.
        http.Response.Headers.CacheControl = "no-store";
        var fileName = string.Create(CultureInfo.InvariantCulture, $"ticketing-export-{clock.GetUtcNow():yyyy-MM-dd}.csv");

        // Rows go to the client as the database yields them; a dropped connection stops the reads.
        var aborted = http.RequestAborted;
        return TypedResults.Stream(
            body => AdminCsvExport.WriteAsync(body, dashboard.StreamListingsAsync(aborted), dashboard.StreamOrdersAsync(aborted), aborted),
            "text/csv; charset=utf-8",
            fileName);
    }
}
