using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Components.Pages.Tickets;

/// <summary>
/// What the sell and edit forms hold. The event date is typed as a date and a time in one zone
/// (the browser's once known, UTC until then), which the model remembers so that what is saved is
/// what the form said. An event date the user did not touch is kept exactly, seconds included.
/// </summary>
public sealed class TicketFormModel
{
    private DateTimeOffset? _originalEventDate;
    private DateTime? _originalDay;
    private TimeSpan? _originalTime;

    public string? Title { get; set; }

    public decimal? Price { get; set; }

    public DateTime? EventDay { get; set; }

    public TimeSpan? EventTime { get; set; }

    public string? Venue { get; set; }

    public string? Description { get; set; }

    /// <summary>The zone the date and time fields are written in.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public bool ZoneIsBrowsers { get; private set; }

    public static TicketFormModel From(TicketView ticket, BrowserTime time)
    {
        var model = new TicketFormModel
        {
            Title = ticket.Title,
            Price = ticket.Price,
            Venue = ticket.Venue,
            Description = ticket.Description,
            _originalEventDate = ticket.EventDate,
        };
        model.WriteDatesIn(time);
        return model;
    }

    /// <summary>
    /// Switches the date and time fields to the browser's zone once it is known, unless the user
    /// already typed a date (then the form keeps reading it in the zone it said it would).
    /// </summary>
    public void AdoptZone(BrowserTime time)
    {
        if (ReferenceEquals(time.Zone, Zone) || (EventDay is not null && !DatesUntouched))
        {
            return;
        }

        WriteDatesIn(time);
    }

    public TicketInput ToInput() => new(Title, Price ?? 0m, EventDate(), Venue, Description);

    public DateTimeOffset? EventDate()
    {
        if (EventDay is not { } day)
        {
            return null;
        }

        return _originalEventDate is { } original && DatesUntouched
            ? original
            : BrowserTime.FromLocal(day.Date + (EventTime ?? TimeSpan.Zero), Zone);
    }

    /// <summary>The fields whose value differs between this form and <paramref name="saved"/>, as the domain would store them.</summary>
    public IReadOnlyList<FieldDifference> DifferencesFrom(TicketView saved, BrowserTime time, string currency)
    {
        var differences = new List<FieldDifference>();
        var title = Title?.Trim() ?? string.Empty;
        if (title != saved.Title)
        {
            differences.Add(new("title", "Title", title, saved.Title));
        }

        if (Price != saved.Price)
        {
            differences.Add(new("price", "Price", Price is { } p ? Display.Price(p, currency) : "—", Display.Price(saved.Price, currency)));
        }

        var date = EventDate();
        if (date != saved.EventDate)
        {
            differences.Add(new("eventDate", "Event date", DateText(date, time), DateText(saved.EventDate, time)));
        }

        if (NullIfBlank(Venue) != saved.Venue)
        {
            differences.Add(new("venue", "Venue", NullIfBlank(Venue) ?? "—", saved.Venue ?? "—"));
        }

        if (NullIfBlank(Description) != saved.Description)
        {
            differences.Add(new("description", "Description", NullIfBlank(Description) ?? "—", saved.Description ?? "—"));
        }

        return differences;
    }

    public static string? ValidateTitle(string? title)
    {
        var trimmed = title?.Trim() ?? string.Empty;
        return trimmed.Length == 0 ? "Title is required"
            : trimmed.Length > TicketDetails.MaxTitleLength ? $"Title must be at most {TicketDetails.MaxTitleLength} characters"
            : null;
    }

    public static string? ValidateVenue(string? venue) =>
        NullIfBlank(venue) is { Length: > TicketDetails.MaxVenueLength } ? $"Venue must be at most {TicketDetails.MaxVenueLength} characters" : null;

    public static string? ValidateDescription(string? description) =>
        NullIfBlank(description) is { Length: > TicketDetails.MaxDescriptionLength } ? $"Description must be at most {TicketDetails.MaxDescriptionLength} characters" : null;

    public string? ValidateEventTime(TimeSpan? time) =>
        time is not null && EventDay is null ? "Pick the date for this time" : null;

    private bool DatesUntouched => EventDay?.Date == _originalDay?.Date && EventTime == _originalTime;

    private void WriteDatesIn(BrowserTime time)
    {
        Zone = time.Zone;
        ZoneIsBrowsers = time.IsKnown;
        if (_originalEventDate is { } date)
        {
            var local = TimeZoneInfo.ConvertTime(date, Zone);
            EventDay = local.Date;
            EventTime = new TimeSpan(local.Hour, local.Minute, 0);
            (_originalDay, _originalTime) = (EventDay, EventTime);
        }
    }

    private static string DateText(DateTimeOffset? date, BrowserTime time) =>
        date is { } d ? time.Format(d, "ddd d MMM yyyy, HH:mm") : "—";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record FieldDifference(string Field, string Label, string Yours, string Saved);
