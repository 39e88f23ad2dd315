namespace Ticketing.Web.Api;

internal static class ApiMetadata
{
    /// <summary>Documents the error statuses an endpoint may answer, all in the errors shape.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var statusCode in statusCodes)
        {
            builder.Produces<ApiErrorResponse>(statusCode, "application/json");
        }

        return builder;
    }

    /// <summary>Documents a JSON body the endpoint reads itself (see <see cref="JsonBody"/>).</summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.Accepts<TRequest>("application/json")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
}
