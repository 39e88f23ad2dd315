using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Shared;

/// <summary>
/// The countdown speaks through the page's polite live region at its milestones only: 10, 5 and 1
/// minute left and time up, never once a second, and only the countdown that is asked to.
/// </summary>
public sealed class CountdownAnnouncementTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();
    private readonly StepClock _clock = new(Now);
    private readonly LiveAnnouncer _announcer = new();

    public CountdownAnnouncementTests()
    {
        _context.Services.AddSingleton<TimeProvider>(_clock);
        _context.Services.AddLocalization();
        _context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void Region_is_polite_status_and_the_countdown_itself_is_silent()
    {
        var (region, countdown) = Render(Now.AddMinutes(12), announce: true);

        var live = region.Find("[data-live-region]");
        Assert.Equal("status", live.GetAttribute("role"));
        Assert.Equal("polite", live.GetAttribute("aria-live"));
        Assert.Equal(string.Empty, live.TextContent);
        Assert.Equal("off", countdown.Find("[data-countdown]").GetAttribute("aria-live"));
    }

    [Fact]
    public void Announces_10_5_and_1_minute_left_and_time_up_and_nothing_in_between()
    {
        var (region, countdown) = Render(Now.AddMinutes(12), announce: true);
        var heard = new List<string>();
        var changes = 0;
        _announcer.Changed += () =>
        {
            changes++;
            heard.Add(_announcer.Message);
        };

        // Every second of the twelve minutes, as the countdown's timer fires.
        for (var second = 1; second <= 12 * 60 + 2; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            switch (second)
            {
                case 2 * 60 + 1:
                    region.WaitForAssertion(() => Assert.Equal("10 minutes left", region.Find("[data-live-region]").TextContent));
                    break;
                case 7 * 60 + 1:
                    region.WaitForAssertion(() => Assert.Equal("5 minutes left", region.Find("[data-live-region]").TextContent));
                    break;
                case 11 * 60 + 1:
                    region.WaitForAssertion(() => Assert.Equal("1 minute left", region.Find("[data-live-region]").TextContent));
                    break;
            }
        }

        countdown.WaitForAssertion(() => Assert.Equal("Expired", countdown.Find("[data-countdown]").TextContent));
        region.WaitForAssertion(() => Assert.Equal("Time is up", region.Find("[data-live-region]").TextContent));
        Assert.Equal(["10 minutes left", "5 minutes left", "1 minute left", "Time is up"], heard);
        Assert.Equal(4, changes);
    }

    [Fact]
    public void Opening_with_4_minutes_left_says_nothing_until_1_minute_left()
    {
        var (region, _) = Render(Now.AddMinutes(4), announce: true);

        _clock.Advance(TimeSpan.FromSeconds(2 * 60 + 59));
        Assert.Equal(string.Empty, region.Find("[data-live-region]").TextContent);

        _clock.Advance(TimeSpan.FromSeconds(2));
        region.WaitForAssertion(() => Assert.Equal("1 minute left", region.Find("[data-live-region]").TextContent));
    }

    [Fact]
    public void A_countdown_not_asked_to_announce_stays_silent_through_every_milestone()
    {
        var (region, countdown) = Render(Now.AddMinutes(6), announce: false);

        _clock.Advance(TimeSpan.FromMinutes(7));

        countdown.WaitForAssertion(() => Assert.Equal("Expired", countdown.Find("[data-countdown]").TextContent));
        Assert.Equal(string.Empty, region.Find("[data-live-region]").TextContent);
    }

    private (IRenderedComponent<LiveRegion> Region, IRenderedComponent<Countdown> Countdown) Render(DateTimeOffset until, bool announce)
    {
        var region = _context.Render<LiveRegion>(p => p.AddCascadingValue(_announcer));
        var countdown = _context.Render<Countdown>(p => p
            .Add(c => c.Until, until)
            .Add(c => c.Announce, announce)
            .AddCascadingValue(_announcer));
        return (region, countdown);
    }
}
