using AngleSharp.Html.Parser;
using Ticketing.Infrastructure.Tickets;
using Ticketing.Web.Components.Shared;
using Ticketing.Web.Tests.Components.Support;

namespace Ticketing.Web.Tests.Components.Shared;

/// <summary>
/// Cards as shared HTML: every circuit showing a listing at one version in one zone gets the very
/// same string, so that a thousand open pages hold one copy and a change renders it once.
/// </summary>
public sealed class TicketCardsTests : UiTestContext
{
    private static readonly DateTimeOffset Until = new(2026, 3, 5, 12, 15, 0, TimeSpan.Zero);

    private TicketCards Cards => Service<TicketCards>();

    [Fact]
    public async Task SameVersionAndZone_IsOneSharedString()
    {
        var ticket = Summary(version: 0, "available");

        var first = await Cards.RenderAsync([ticket], Zone("Europe/Paris"));
        var second = await Cards.RenderAsync([ticket with { Title = "a copy of the same version" }], Zone("Europe/Paris"));

        Assert.Same(first[0].Value, second[0].Value);
    }

    [Fact]
    public async Task ManyCircuitsAskingAtOnce_GetOneRendering()
    {
        var ticket = Summary(version: 3, "reserved");

        var cards = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Cards.RenderAsync([ticket], Zone("Europe/Paris")).AsTask())));

        Assert.Single(cards.Select(c => c[0].Value).Distinct(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public async Task NewVersion_IsRenderedAgain_WithItsStatus()
    {
        var available = Summary(version: 0, "available");
        var reserved = available with { Version = 1, Status = "reserved", ReservedUntil = Until };

        var before = Card((await Cards.RenderAsync([available], Zone("Europe/Paris")))[0].Value);
        var after = Card((await Cards.RenderAsync([reserved], Zone("Europe/Paris")))[0].Value);

        Assert.Equal(("available", "0"), (before.GetAttribute("data-status"), before.GetAttribute("data-version")));
        Assert.Equal(("reserved", "1"), (after.GetAttribute("data-status"), after.GetAttribute("data-version")));
        Assert.Contains("Reserved until 13:15", Text.Of(after));
    }

    [Fact]
    public async Task TimesAreWrittenInTheBrowsersZone_OrInUtcAndSaySo_WhileItIsUnknown()
    {
        var reserved = Summary(version: 1, "reserved") with { ReservedUntil = Until };

        var tokyo = Card((await Cards.RenderAsync([reserved], Zone("Asia/Tokyo")))[0].Value);
        var unknown = Card((await Cards.RenderAsync([reserved], new BrowserTime()))[0].Value);

        Assert.Contains("Reserved until 21:15", Text.Of(tokyo));
        Assert.Contains("Reserved until 12:15 UTC", Text.Of(unknown));
    }

    [Fact]
    public async Task TitlesAndVenues_AreEscaped()
    {
        var ticket = Summary(version: 0, "available") with { Title = "<script>alert(1)</script>", Venue = "\"Hall\" & <b>co</b>" };

        var html = (await Cards.RenderAsync([ticket], new BrowserTime()))[0].Value;

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Equal("<script>alert(1)</script>", Card(html).QuerySelector(".ticket-card__title")!.TextContent);
    }

    private static TicketSummary Summary(int version, string status) =>
        new(Guid.NewGuid(), "Arctic Monkeys, floor", 85m, Guid.NewGuid(), version, status, null, null, "O2 Arena");

    private static BrowserTime Zone(string id)
    {
        var time = new BrowserTime();
        Assert.True(time.TrySetZone(id));
        return time;
    }

    private static AngleSharp.Dom.IElement Card(string html) =>
        new HtmlParser().ParseDocument($"<body>{html}</body>").Body!.Children.Single();
}
