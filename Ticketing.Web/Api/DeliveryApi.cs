using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Ticketing.Domain.Delivery;
using Ticketing.Infrastructure.Delivery;

namespace Ticketing.Web.Api;

public sealed record CheckInRequest([property: Required] string? Code);

public sealed record CheckInResponse(Guid OrderId, string Title, DateTimeOffset AdmittedAt);

/// <summary>Ticket delivery: the seller's file, the buyer's download and e-ticket, and the door.</summary>
internal static class DeliveryApi
{
    private const string TicketNotFound = "Ticket not found";
    private const string OrderNotFound = "Order not found";

    /// <summary>The content types of the ticket files a seller may attach (<see cref="TicketFileKind"/>).</summary>
    private static readonly string[] FileTypes = Enum.GetValues<TicketFileKind>().Select(kind => kind.ContentType()).ToArray();

    /// <summary>The content types a file upload may declare; what the file is, its bytes decide.</summary>
    private static readonly string[] UploadTypes = [.. FileTypes, "application/octet-stream"];

    /// <summary>The JSON calls, inside the API's JSON-only group.</summary>
    public static void MapDeliveryApi(this IEndpointRouteBuilder api)
    {
        var delivery = DeliveryGroup(api);
        var files = delivery.MapGroup("/tickets/{id}/file");
        files.MapGet("", ReadSellerFileAsync)
            .WithOperation("GetTicketFile", "The listing's ticket file, for its seller (or an admin)",
                "Buyers get the file through their paid order (`GET /api/orders/{id}/ticket`); anyone else gets 401.")
            .ProducesFile()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);
        files.MapDelete("", RemoveFileAsync)
            .WithOperation("RemoveTicketFile", "Takes the file off a listing that is still on the market",
                "400 once a buyer has reserved or bought the ticket.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);

        delivery.MapGet("/orders/{id}/ticket", ReadOrderTicketAsync)
            .WithOperation("GetOrderTicket", "The ticket of a paid order: the seller's file, or the platform's e-ticket",
                "The buyer's (or an admin's). Without `kind`: the seller's file when the listing has one, else the e-ticket (SVG: QR code, code, order id and title). "
                + "`?kind=eticket` always the e-ticket; `?kind=file` the seller's file or 404. 404 until the order is paid, and once it is refunded.")
            .ProducesFile(ETicketImage.ContentType)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound);

        delivery.MapPost("/checkins", CheckInAsync)
            .WithOperation("CheckIn", "Admits an e-ticket at the door (role Scanner or Admin)",
                "200: admitted, once. 409: already admitted (the message says when). 404: no ticket has this code, or its order was refunded or cancelled. "
                + "400: not a code, or a forged or altered one.")
            .RequireAuthorization(p => p.RequireRole(Roles.Scanner, Roles.Admin))
            .AcceptsJson<CheckInRequest>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    /// <summary>
    /// The upload takes the file itself as the body, so it stays outside the JSON-only group; it is
    /// as safe from cross-site forms, which can send none of the types it accepts.
    /// </summary>
    public static void MapTicketFileUpload(this IEndpointRouteBuilder api)
    {
        DeliveryGroup(api).MapPut("/tickets/{id}/file", AttachFileAsync)
            .WithOperation("AttachTicketFile", "Attaches (or replaces) the ticket file of a listing",
                "The body is the file: a PDF, PNG or JPEG of at most 5 MB, checked by its content (a renamed file of another kind, or a truncated one, is 400). "
                + "Content-Type `application/pdf`, `image/png`, `image/jpeg` or `application/octet-stream` (else 415); the name from `Content-Disposition: attachment; filename=...`. "
                + "A larger body is refused with 413 before it is stored. Once a buyer holds the ticket, a missing file may still be attached but not replaced.")
            .WithMetadata(new RequestSizeLimitAttribute(TicketFileCheck.MaxBytes))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = UploadTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = binary }),
                };
                return Task.CompletedTask;
            })
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>Every delivery call is for a signed-in user, under one heading of the API's description.</summary>
    private static RouteGroupBuilder DeliveryGroup(IEndpointRouteBuilder api) =>
        api.MapGroup(string.Empty).WithTags("Delivery").RequireAuthorization();

    /// <summary>A download: the kinds of ticket file, and any other type the call may answer in.</summary>
    private static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder, params string[] otherTypes) =>
        builder.Produces(StatusCodes.Status200OK, typeof(byte[]), FileTypes[0], [.. FileTypes[1..], .. otherTypes]);

    private static async Task<Ok<TicketFileView>> AttachFileAsync(string id, HttpRequest request, ClaimsPrincipal user, TicketFiles files, CancellationToken cancellationToken)
    {
        var ticketId = Caller.ParseRouteId(id, TicketNotFound);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !UploadTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            throw ApiRequestException.Of(StatusCodes.Status415UnsupportedMediaType,
                "Content-Type must be application/pdf, image/png, image/jpeg or application/octet-stream, with the file as the body");
        }

        var content = await RawBody.ReadAsync(request, TicketFileCheck.MaxBytes, TooLarge, cancellationToken);
        var view = await files.AttachAsync(user.RequireActor(), ticketId, FileNameOf(request), content, cancellationToken);
        return TypedResults.Ok(view);
    }

    private static async Task<FileContentHttpResult> ReadSellerFileAsync(string id, HttpContext http, ClaimsPrincipal user, TicketFiles files, CancellationToken cancellationToken)
    {
        var file = await files.ReadAsync(user.RequireActor(), Caller.ParseRouteId(id, TicketNotFound), cancellationToken);
        return Download(http, file);
    }

    private static async Task<NoContent> RemoveFileAsync(string id, ClaimsPrincipal user, TicketFiles files, CancellationToken cancellationToken)
    {
        await files.RemoveAsync(user.RequireActor(), Caller.ParseRouteId(id, TicketNotFound), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<FileContentHttpResult> ReadOrderTicketAsync(string id, string? kind, HttpContext http, ClaimsPrincipal user, OrderDelivery delivery, CancellationToken cancellationToken)
    {
        var orderId = Caller.ParseRouteId(id, OrderNotFound);
        var actor = user.RequireActor();
        switch (kind?.ToLowerInvariant())
        {
            case null or "":
                var file = await delivery.ReadFileAsync(actor, orderId, cancellationToken);
                return Download(http, file ?? await delivery.RenderETicketAsync(actor, orderId, cancellationToken));
            case "file":
                return Download(http, await delivery.ReadFileAsync(actor, orderId, cancellationToken)
                    ?? throw new NotFoundException("The seller has not attached the ticket file yet"));
            case "eticket":
                return Download(http, await delivery.RenderETicketAsync(actor, orderId, cancellationToken));
            default:
                throw ApiRequestException.BadRequest("Kind must be file or eticket", "kind");
        }
    }

    private static async Task<Ok<CheckInResponse>> CheckInAsync(CheckInRequest input, ClaimsPrincipal user, CheckIns checkIns, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Code))
        {
            throw ApiRequestException.BadRequest("Code is required", "code");
        }

        var result = await checkIns.CheckInAsync(user.RequireActor().UserId, input.Code, cancellationToken);
        return result.Outcome switch
        {
            CheckInOutcome.Admitted => TypedResults.Ok(new CheckInResponse(result.OrderId!.Value, result.Title!, result.AdmittedAt!.Value)),
            CheckInOutcome.AlreadyAdmitted => throw ApiRequestException.Of(StatusCodes.Status409Conflict, result.Message),
            CheckInOutcome.Refused or CheckInOutcome.Unknown => throw ApiRequestException.Of(StatusCodes.Status404NotFound, result.Message),
            _ => throw ApiRequestException.BadRequest(result.Message, "code"),
        };
    }

    /// <summary>
    /// A download, never rendered by the browser as a page of this site: attachment, not cached, and
    /// a sandboxing policy in case someone opens the SVG e-ticket directly.
    /// </summary>
    private static FileContentHttpResult Download(HttpContext http, TicketFileContent file)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static ApiRequestException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, [new ApiError(TicketFileCheck.TooLargeMessage, TicketFileCheck.Field)]);

    private static string? FileNameOf(HttpRequest request) =>
        ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition)
            ? (disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value)
            : null;
}
