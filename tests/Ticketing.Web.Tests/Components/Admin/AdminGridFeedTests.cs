using Ticketing.Web.Components.Pages.Admin;

namespace Ticketing.Web.Tests.Components.Admin;

/// <summary>How a grid's page loads and the live changes arriving meanwhile are kept in step.</summary>
public sealed class AdminGridFeedTests
{
    [Fact]
    public void ChangesBeforeTheFirstPage_AreHeld_AndHandedOverWhenItLoads()
    {
        var feed = new AdminGridFeed<string>();

        Assert.True(feed.Hold("early"));
        var load = feed.StartLoad();
        Assert.True(feed.Hold("during"));

        var catchUp = feed.EndLoad();
        Assert.True(load.IsLatest);
        Assert.Equal(["early", "during"], catchUp!.Changes);
        Assert.False(catchUp.Reload);
        Assert.False(feed.Hold("after"));
    }

    [Fact]
    public void ALoadWithNothingMissed_HasNothingToCatchUp()
    {
        var feed = new AdminGridFeed<string>();
        feed.StartLoad();

        Assert.Null(feed.EndLoad());
    }

    [Fact]
    public void AReloadAskedForDuringALoad_RunsOnceAfterIt()
    {
        var feed = new AdminGridFeed<string>();
        feed.StartLoad();

        Assert.False(feed.MayReload(editing: false));
        Assert.False(feed.MayReload(editing: false));

        Assert.True(feed.EndLoad()!.Reload);
        Assert.True(feed.MayReload(editing: false));
    }

    [Fact]
    public void OverlappingLoads_HandOverOnlyWhenTheLastEnds_AndOnlyTheNewestMayShowItsRows()
    {
        var feed = new AdminGridFeed<string>();
        var older = feed.StartLoad();
        var newer = feed.StartLoad();
        feed.Hold("change");

        Assert.False(older.IsLatest);
        Assert.True(newer.IsLatest);
        Assert.Null(feed.EndLoad());
        Assert.Equal(["change"], feed.EndLoad()!.Changes);
    }

    [Fact]
    public void AReloadAskedForDuringAnEdit_WaitsForTheEditToEnd()
    {
        var feed = new AdminGridFeed<string>();
        feed.StartLoad();
        feed.EndLoad();

        Assert.False(feed.MayReload(editing: true));

        Assert.True(feed.TakeReloadAfterEdit());
        Assert.False(feed.TakeReloadAfterEdit());
    }

    [Fact]
    public void AFloodOfChangesDuringALoad_IsReplacedByOneReload()
    {
        var feed = new AdminGridFeed<int>();
        feed.StartLoad();
        for (var i = 0; i < 10_000; i++)
        {
            feed.Hold(i);
        }

        var catchUp = feed.EndLoad()!;
        Assert.True(catchUp.Reload);
        Assert.InRange(catchUp.Changes.Count, 1, 200);
    }
}
