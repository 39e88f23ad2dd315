using Ticketing.Domain.Common;
using Ticketing.Domain.Tickets.Rules;

namespace Ticketing.Domain.Tickets;

/// <summary>What a seller says about a ticket. Creating one validates every field.</summary>
public sealed record TicketDetails
{
    public const int MaxTitleLength = 120;
    public const int MaxVenueLength = 120;
    public const int MaxDescriptionLength = 2000;

    private TicketDetails(string title, decimal price, DateTimeOffset? eventDate, string? venue, string? description)
    {
        Title = title;
        Price = price;
        EventDate = eventDate;
        Venue = venue;
        Description = description;
    }

    public string Title { get; }

    public decimal Price { get; }

    public DateTimeOffset? EventDate { get; }

    public string? Venue { get; }

    public string? Description { get; }

    public static TicketDetails Create(string? title, decimal price, DateTimeOffset? eventDate = null, string? venue = null, string? description = null)
    {
        var trimmedTitle = title?.Trim() ?? string.Empty;
        BusinessRule.Check(new TicketTitleMustBeValidRule(trimmedTitle));
        BusinessRule.Check(new TicketPriceMustBeValidRule(price));
        var trimmedVenue = NullIfBlank(venue);
        BusinessRule.Check(new TextMustFitRule(trimmedVenue, MaxVenueLength, "venue", "Venue"));
        var trimmedDescription = NullIfBlank(description);
        BusinessRule.Check(new TextMustFitRule(trimmedDescription, MaxDescriptionLength, "description", "Description"));
        return new TicketDetails(trimmedTitle, price, eventDate?.ToUniversalTime(), trimmedVenue, trimmedDescription);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
