using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Pages.Tickets;
using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Tests.Components.Tickets;

public sealed class TicketFormModelTests
{
    private static readonly DateTimeOffset Event = new(2026, 6, 12, 18, 30, 45, TimeSpan.Zero);

    [Fact]
    public void DatesOfAListing_AreWrittenInTheBrowserZone()
    {
        var model = TicketFormModel.From(Ticket(Event), Zone("Europe/Paris"));

        Assert.Equal((new DateTime(2026, 6, 12), new TimeSpan(20, 30, 0)), (model.EventDay, model.EventTime));
    }

    [Fact]
    public void UntouchedEventDate_IsSavedExactly_SecondsIncluded()
    {
        var model = TicketFormModel.From(Ticket(Event), Zone("Europe/Paris"));

        Assert.Equal(Event, model.ToInput().EventDate);
    }

    [Fact]
    public void ZoneKnownAfterLoading_RewritesUntouchedDates()
    {
        var model = TicketFormModel.From(Ticket(Event), new BrowserTime());
        Assert.Equal(new TimeSpan(18, 30, 0), model.EventTime);

        model.AdoptZone(Zone("Asia/Tokyo"));

        Assert.Equal((new DateTime(2026, 6, 13), new TimeSpan(3, 30, 0)), (model.EventDay, model.EventTime));
        Assert.Equal(Event, model.ToInput().EventDate);
        Assert.True(model.ZoneIsBrowsers);
    }

    [Fact]
    public void ZoneKnownAfterTheUserTypedADate_KeepsTheZoneTheFormSaid()
    {
        var model = new TicketFormModel { EventDay = new DateTime(2026, 12, 31), EventTime = new TimeSpan(20, 0, 0) };

        model.AdoptZone(Zone("America/New_York"));

        Assert.False(model.ZoneIsBrowsers);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.Zero), model.ToInput().EventDate);
    }

    [Fact]
    public void TypedDate_IsReadInTheBrowserZone()
    {
        var model = new TicketFormModel();
        model.AdoptZone(Zone("America/New_York"));
        model.EventDay = new DateTime(2026, 12, 31);
        model.EventTime = new TimeSpan(20, 0, 0);

        Assert.Equal(new DateTimeOffset(2027, 1, 1, 1, 0, 0, TimeSpan.Zero), model.ToInput().EventDate);
    }

    [Fact]
    public void Differences_AreTheFieldsThatWouldChange()
    {
        var saved = Ticket(Event);
        var model = TicketFormModel.From(saved, new BrowserTime());
        model.Price = 99m;
        model.Venue = "  ";

        var differences = model.DifferencesFrom(saved, new BrowserTime(), "usd");

        Assert.Equal(["price", "venue"], differences.Select(d => d.Field));
        Assert.Equal(("$99.00", "$80.00"), (differences[0].Yours, differences[0].Saved));
    }

    private static BrowserTime Zone(string id)
    {
        var time = new BrowserTime();
        Assert.True(time.TrySetZone(id));
        return time;
    }

    private static TicketView Ticket(DateTimeOffset? eventDate) =>
        new(Guid.NewGuid(), "Show", 80m, Guid.NewGuid(), 0, "available", null, null, eventDate, "Venue", null);
}
