using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class BrowserTimeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void UnknownZone_WritesUtcAndSaysSo()
    {
        var time = new BrowserTime();

        Assert.Equal("12:00 UTC", time.Format(Noon, "HH:mm"));
    }

    [Fact]
    public void BrowserZone_WritesLocalTimeWithDaylightSaving()
    {
        var time = new BrowserTime();
        var changed = 0;
        time.Changed += () => changed++;

        Assert.True(time.TrySetZone("Europe/Paris"));

        Assert.Equal("14:00", time.Format(Noon, "HH:mm"));
        Assert.Equal("13:00", time.Format(Noon.AddMonths(6), "HH:mm"));
        Assert.Equal(1, changed);
    }

    [Fact]
    public void UnknownZoneId_IsIgnored()
    {
        var time = new BrowserTime();

        Assert.False(time.TrySetZone("Mars/Olympus_Mons"));
        Assert.False(time.IsKnown);
    }

    [Fact]
    public void TypedWallClock_IsReadInTheBrowserZone()
    {
        var time = new BrowserTime();
        time.TrySetZone("America/New_York");

        var instant = time.FromLocal(new DateTime(2026, 12, 31, 20, 30, 0));

        Assert.Equal(new DateTimeOffset(2027, 1, 1, 1, 30, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void TypedWallClock_SkippedByDaylightSaving_MovesForward()
    {
        var time = new BrowserTime();
        time.TrySetZone("Europe/Paris");

        // 02:30 does not exist on 29 March 2026 in Paris: clocks jump from 02:00 to 03:00.
        var instant = time.FromLocal(new DateTime(2026, 3, 29, 2, 30, 0));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), instant);
    }
}
