using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Paging;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Web.Api;

// Optional members default to null: the OpenAPI schema lists a parameter without a default as required.
public record CreateTicketRequest(
    [property: Required] string? Title, [property: Required] decimal? Price, DateTimeOffset? EventDate = null, string? Venue = null, string? Description = null)
{
    /// <summary>A missing price is simply not a valid one: the listing rules report it on "price".</summary>
    public TicketInput ToInput() => new(Title, Price ?? 0m, EventDate, Venue, Description);
}

/// <param name="Version">The version the editor saw; when sent and stale the edit is refused (409).</param>
public sealed record UpdateTicketRequest(
    string? Title, decimal? Price, DateTimeOffset? EventDate = null, string? Venue = null, string? Description = null, int? Version = null)
    : CreateTicketRequest(Title, Price, EventDate, Venue, Description);

/// <summary>Listings: public reads, and listing or editing one's own tickets.</summary>
internal static class TicketsApi
{
    private const string NotFound = "Ticket not found";

    public static void MapTicketsApi(this IEndpointRouteBuilder api)
    {
        var tickets = api.MapGroup("/tickets").WithTags("Tickets");

        tickets.MapGet("", ListAsync)
            .WithOperation("ListTickets", "The listings on the market, newest first, a page at a time",
                "Public. `?status=available|reserved|sold` keeps one status; `?q=` keeps listings whose title or venue contains it "
                + $"(ignoring case). `?limit=` sets the page size, 1 to {Pagination.MaxLimit} (default {PageRequest.DefaultLimit}). "
                + "When there is a next page, the `Link` header points to it (`rel=\"next\"`, with an opaque `after` cursor). "
                + "A bad `status`, `limit` or `after` is a 400 naming its field.")
            .Produces<IReadOnlyList<TicketView>>(StatusCodes.Status200OK, "application/json")
            .ProducesErrors(StatusCodes.Status400BadRequest)
            .DescribesPaging(
                ("status", "Only listings with this status: available, reserved or sold."),
                ("q", "Only listings whose title or venue contains this text, ignoring case."));

        tickets.MapGet("/{id}", GetAsync)
            .WithOperation("GetTicket", "One listing",
                "Public. A malformed id is a 404 like an unknown one.")
            .ProducesErrors(StatusCodes.Status404NotFound);

        tickets.MapPost("", CreateAsync)
            .WithOperation("CreateTicket", "Lists a ticket for sale",
                "Title 1-120 characters; price a number over 0 and at most 1,000,000 with at most 2 decimals; venue up to 120 and description up to 2,000 characters.")
            .RequireAuthorization()
            .AcceptsJson<CreateTicketRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized);

        tickets.MapPut("/{id}", UpdateAsync)
            .WithOperation("UpdateTicket", "Edits a listing (its seller, or an admin)",
                "Replaces every field; every accepted edit is `version` + 1. Refused while the ticket is reserved or once sold (400), and when the optional `version` sent is stale (409). "
                + "Without `version`, edits racing each other are saved one after another, each answered with its own version.")
            .RequireAuthorization()
            .AcceptsJson<UpdateTicketRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    /// <summary>The same for every caller, so it is served from <see cref="TicketListCache"/>.</summary>
    private static async Task<FileContentHttpResult> ListAsync(
        HttpContext http, string? status, string? q, string? limit, string? after, TicketListings listings, TicketListCache cache, CancellationToken cancellationToken)
    {
        var filter = new TicketFilter(q, string.IsNullOrEmpty(status) ? null : ParseStatus(status));
        var request = PageRequest.Read(limit, after, ListCursor.Tickets);
        var key = string.Join('\n', filter.Status?.ToString(), request.Limit, request.After?.Encode(ListCursor.Tickets), filter.Term);
        var page = await cache.GetAsync(key, token => listings.ListAsync(filter, request.After, request.Limit, token), cancellationToken);
        ListPaging.LinkNext(http, page.Next, ListCursor.Tickets);
        return TypedResults.Bytes(page.Json, "application/json; charset=utf-8");
    }

    private static async Task<Ok<TicketView>> GetAsync(string id, TicketListings listings, CancellationToken cancellationToken)
    {
        var ticket = await listings.FindAsync(Caller.ParseRouteId(id, NotFound), cancellationToken)
            ?? throw new NotFoundException(NotFound);
        return TypedResults.Ok(ticket);
    }

    private static async Task<Created<TicketView>> CreateAsync(CreateTicketRequest input, ClaimsPrincipal user, TicketListings listings, CancellationToken cancellationToken)
    {
        var ticket = await listings.CreateAsync(user.RequireActor(), input.ToInput(), cancellationToken);
        return TypedResults.Created($"/api/tickets/{ticket.Id}", ticket);
    }

    private static async Task<Ok<TicketView>> UpdateAsync(string id, UpdateTicketRequest input, ClaimsPrincipal user, TicketListings listings, CancellationToken cancellationToken)
    {
        var ticketId = Caller.ParseRouteId(id, NotFound);
        var ticket = await listings.EditAsync(user.RequireActor(), ticketId, input.ToInput(), input.Version, cancellationToken);
        return TypedResults.Ok(ticket);
    }

    private static TicketStatus ParseStatus(string status) => status.ToLowerInvariant() switch
    {
        "available" => TicketStatus.Available,
        "reserved" => TicketStatus.Reserved,
        "sold" => TicketStatus.Sold,
        _ => throw ApiRequestException.BadRequest("Status must be one of available, reserved, sold", "status"),
    };
}
