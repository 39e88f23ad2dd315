using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Shared;

public sealed class TimeComponentTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitContext _context = new();
    private readonly StepClock _clock = new(Now);

    public TimeComponentTests()
    {
        _context.Services.AddSingleton<TimeProvider>(_clock);
        _context.Services.AddLocalization();
        _context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void Countdown_StartsAtTheTimeLeft()
    {
        var cut = _context.Render<Countdown>(p => p.Add(c => c.Until, Now.AddMinutes(12).AddSeconds(30)));

        Assert.Equal("12:30 left", cut.Find(".countdown").TextContent);
    }

    [Fact]
    public void Countdown_TicksEverySecond()
    {
        var cut = _context.Render<Countdown>(p => p.Add(c => c.Until, Now.AddMinutes(15)));

        // It moves a few milliseconds after each second boundary, never before.
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("15:00 left", cut.Find(".countdown").TextContent);
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        cut.WaitForAssertion(() => Assert.Equal("14:59 left", cut.Find(".countdown").TextContent));

        _clock.Advance(TimeSpan.FromSeconds(61));
        cut.WaitForAssertion(() => Assert.Equal("13:58 left", cut.Find(".countdown").TextContent));
    }

    [Fact]
    public void Countdown_StopsAtZero()
    {
        var cut = _context.Render<Countdown>(p => p.Add(c => c.Until, Now.AddSeconds(2)));

        _clock.Advance(TimeSpan.FromSeconds(5));

        cut.WaitForAssertion(() => Assert.Equal("Expired", cut.Find(".countdown").TextContent));
    }

    [Fact]
    public void Countdown_DisposesItsTimerWithTheComponent()
    {
        var cut = _context.Render<Countdown>(p => p.Add(c => c.Until, Now.AddMinutes(1)));
        Assert.Equal(1, _clock.ActiveTimers);

        cut.Instance.Dispose();

        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public void LocalTime_FollowsTheBrowserZoneOnceKnown()
    {
        var zone = new BrowserTime();
        var cut = _context.Render<LocalTime>(p => p.Add(c => c.Value, Now).AddCascadingValue(zone));
        Assert.Equal("12:00 UTC", cut.Find("time").TextContent);

        zone.TrySetZone("Asia/Tokyo");

        cut.WaitForAssertion(() => Assert.Equal("21:00", cut.Find("time").TextContent));
        Assert.Equal("2026-03-05T12:00:00Z", cut.Find("time").GetAttribute("datetime"));
    }
}
