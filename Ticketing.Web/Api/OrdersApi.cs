using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Paging;

namespace Ticketing.Web.Api;

public sealed record CreateOrderRequest([property: Required] Guid? TicketId);

// Optional members default to null: the OpenAPI schema lists a parameter without a default as required.
/// <param name="Reason">Why the money goes back; kept on the order's audit trail.</param>
/// <param name="Ticket"><c>relist</c> (the default): the ticket goes back on sale; <c>withdraw</c>: it is taken off the market.</param>
public sealed record RefundOrderRequest([property: Required] string? Reason, string? Ticket = null);

/// <summary>Reserving a ticket, and the buyer's own orders.</summary>
internal static class OrdersApi
{
    private const string NotFound = "Order not found";

    public static void MapOrdersApi(this IEndpointRouteBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders").RequireAuthorization();

        orders.MapPost("", CreateAsync)
            .WithOperation("CreateOrder", "Reserves a ticket",
                "Locks the ticket until `expiresAt` (now + the reservation window). 400 when the ticket is already reserved or is the caller's own, or when the caller already holds the most live orders one buyer may (`Ordering:MaxLiveOrdersPerBuyer`). Rate-limited per user (429).")
            .RequireRateLimiting(RateLimits.OrdersPolicy)
            .AcceptsJson<CreateOrderRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);

        orders.MapGet("", ListAsync)
            .WithOperation("ListOrders", "The caller's orders, oldest first, a page at a time",
                $"`?limit=` sets the page size, 1 to {Pagination.MaxLimit} (default {PageRequest.DefaultLimit}). When there is a next page, "
                + "the `Link` header points to it (`rel=\"next\"`, with an opaque `after` cursor). A bad `limit` or `after` is a 400 naming its field.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized)
            .DescribesPaging();

        orders.MapGet("/{id}", GetAsync)
            .WithOperation("GetOrder", "One of the caller's orders",
                "401 for someone else's order (admins may read any).")
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);

        orders.MapPost("/{id}/refund", RefundAsync)
            .WithOperation("RefundOrder", "Refunds a completed order (admins only)",
                "The order becomes `refunded`, its payment goes back to the buyer once however often this is called, and the ticket is "
                + "relisted or withdrawn (`ticket`: `relist` or `withdraw`). 200 once the provider has refunded; 202 when it could not be reached and "
                + "the refund is owed (it is made as soon as the provider answers). 400 for an order that is not paid or already refunded; 401 for anyone but an admin.")
            .AcceptsJson<RefundOrderRequest>()
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType);

        orders.MapDelete("/{id}", CancelAsync)
            .WithOperation("CancelOrder", "Cancels an order and unlocks its ticket",
                "400 once the order is complete, or while a payment for it is in progress. Cancelling a cancelled order changes nothing.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<Created<OrderView>> CreateAsync(CreateOrderRequest input, ClaimsPrincipal user, TicketOrders ticketOrders, CancellationToken cancellationToken)
    {
        var ticketId = input.TicketId ?? throw ApiRequestException.BadRequest("Ticket id is required", "ticketId");
        var order = await ticketOrders.ReserveAsync(user.RequireActor(), ticketId, cancellationToken);
        return TypedResults.Created($"/api/orders/{order.Id}", order);
    }

    private static async Task<Ok<IReadOnlyList<OrderView>>> ListAsync(
        HttpContext http, string? limit, string? after, ClaimsPrincipal user, TicketOrders ticketOrders, CancellationToken cancellationToken)
    {
        var request = PageRequest.Read(limit, after, ListCursor.Orders);
        var page = await ticketOrders.ListForBuyerAsync(user.RequireActor().UserId, request.After, request.Limit, cancellationToken);
        ListPaging.LinkNext(http, page.Next, ListCursor.Orders);
        return TypedResults.Ok(page.Items);
    }

    private static async Task<Ok<OrderView>> GetAsync(string id, ClaimsPrincipal user, TicketOrders ticketOrders, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ticketOrders.GetAsync(user.RequireActor(), Caller.ParseRouteId(id, NotFound), cancellationToken));

    private static async Task<Results<Ok<OrderView>, Accepted<OrderView>>> RefundAsync(
        string id, RefundOrderRequest input, ClaimsPrincipal user, OrderRefunds refunds, CancellationToken cancellationToken)
    {
        var orderId = Caller.ParseRouteId(id, NotFound);
        var admin = user.RequireActor();
        if (!admin.IsAdmin)
        {
            // Before the body is read: a non-admin learns nothing about the request's shape.
            throw new AccessDeniedException();
        }

        var ticket = input.Ticket?.Trim().ToLowerInvariant() switch
        {
            null or "" or "relist" => RefundedTicket.Relist,
            "withdraw" => RefundedTicket.Withdraw,
            _ => throw ApiRequestException.BadRequest("Ticket must be 'relist' or 'withdraw'", "ticket"),
        };
        var result = await refunds.RefundAsync(admin, orderId, input.Reason, ticket, cancellationToken);
        return result.MoneyReturned ? TypedResults.Ok(result.Order) : TypedResults.Accepted($"/api/orders/{orderId}", result.Order);
    }

    private static async Task<NoContent> CancelAsync(string id, ClaimsPrincipal user, TicketOrders ticketOrders, CancellationToken cancellationToken)
    {
        await ticketOrders.CancelAsync(user.RequireActor(), Caller.ParseRouteId(id, NotFound), cancellationToken);
        return TypedResults.NoContent();
    }
}
