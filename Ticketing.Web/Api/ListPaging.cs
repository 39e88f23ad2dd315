using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;
using Ticketing.Infrastructure.Paging;

namespace Ticketing.Web.Api;

/// <summary>How many items a list call returns, and from where: its <c>limit</c> and <c>after</c>.</summary>
internal sealed record PageRequest(int Limit, ListCursor? After)
{
    public const int DefaultLimit = 100;

    /// <param name="list">Which list's cursors are accepted (<see cref="ListCursor.Tickets"/> or <see cref="ListCursor.Orders"/>).</param>
    public static PageRequest Read(string? limit, string? after, byte list)
    {
        var size = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > Pagination.MaxLimit))
        {
            throw ApiRequestException.BadRequest($"Limit must be a whole number from 1 to {Pagination.MaxLimit}", "limit");
        }

        ListCursor? cursor = null;
        if (!string.IsNullOrEmpty(after))
        {
            cursor = ListCursor.TryDecode(after, list, out var decoded)
                ? decoded
                : throw ApiRequestException.BadRequest("After must be a cursor taken from the Link header of the previous page", "after");
        }

        return new PageRequest(size, cursor);
    }
}

internal static class ListPaging
{
    /// <summary>
    /// Points to the next page, when there is one, with an RFC 8288 <c>Link</c> header: the same
    /// address and query with <c>after</c> set to the cursor. The reference is relative to the
    /// host, so a proxy in front changes nothing.
    /// </summary>
    public static void LinkNext(HttpContext http, ListCursor? next, byte list)
    {
        if (next is not { } cursor)
        {
            return;
        }

        var query = QueryHelpers.ParseQuery(http.Request.QueryString.Value)
            .Where(p => !string.Equals(p.Key, "after", StringComparison.OrdinalIgnoreCase))
            .Append(new KeyValuePair<string, StringValues>("after", cursor.Encode(list)));
        var target = (http.Request.PathBase + http.Request.Path).ToUriComponent() + QueryString.Create(query).ToUriComponent();
        http.Response.Headers.Link = $"<{target}>; rel=\"next\"";
    }

    /// <summary>Documents the paging parameters and the <c>Link</c> header of a list endpoint.</summary>
    public static RouteHandlerBuilder DescribesPaging(this RouteHandlerBuilder builder, params (string Name, string Description)[] more) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var descriptions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["limit"] = $"How many items to return, 1 to {Pagination.MaxLimit} (default {PageRequest.DefaultLimit}).",
                ["after"] = "An opaque cursor: pass the one in the previous page's Link header to get the next page.",
            };
            foreach (var (name, description) in more)
            {
                descriptions[name] = description;
            }

            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter editable && editable.Name is { } name && descriptions.TryGetValue(name, out var text))
                {
                    editable.Description = text;
                }
            }

            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Link"] = new OpenApiHeader
                {
                    Description = "`<address of the next page>; rel=\"next\"`, only when there is a next page.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }

            return Task.CompletedTask;
        });
}
