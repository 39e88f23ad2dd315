namespace Ticketing.Web.Api;

internal static class Caller
{
    /// <summary>A malformed id in a URL names nothing, so it is a 404 like an unknown one.</summary>
    public static Guid ParseRouteId(string id, string notFoundMessage) =>
        Guid.TryParse(id, out var value) ? value : throw new NotFoundException(notFoundMessage);
}
