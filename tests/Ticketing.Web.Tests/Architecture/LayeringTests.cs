using System.Reflection;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Web.Tests.Architecture;

/// <summary>
/// The layering, checked on the compiled assemblies so that it survives the next change: the domain
/// knows no storage or web framework, and pages and API endpoints reach the database only through
/// the use cases in Infrastructure. Each rule is also run against a deliberately broken type in this
/// file, so a rule that stopped biting fails here.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly Domain = typeof(Ticket).Assembly;
    private static readonly Assembly Web = typeof(Program).Assembly;
    private static readonly Assembly ThisAssembly = typeof(LayeringTests).Assembly;

    private static readonly string[] StorageAndWeb = ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Microsoft.Data"];

    private static readonly string[] DatabaseAccess =
    [
        typeof(TicketingDbContext).FullName!,
        typeof(SqliteTicketingDbContext).FullName!,
        typeof(SqlServerTicketingDbContext).FullName!,
        typeof(DbContext).FullName!,
        "Microsoft.EntityFrameworkCore.IDbContextFactory`1",
        "Microsoft.EntityFrameworkCore.DbSet`1",
    ];

    [Fact]
    public void TheDomain_ReferencesNoStorageOrWebFramework()
    {
        var result = KnowsNoStorageOrWeb(Types.InAssembly(Domain).ShouldNot());

        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void PagesAndApiEndpoints_DoNotTouchTheDbContext()
    {
        var pagesAndApi = Types.InAssembly(Web).That().ResideInNamespace("Ticketing.Web.Components").Or().ResideInNamespace("Ticketing.Web.Api");
        Assert.NotEmpty(pagesAndApi.GetTypes());

        var result = TouchesNoDatabase(pagesAndApi.ShouldNot());

        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void TheRules_CatchABrokenCopy()
    {
        var domain = KnowsNoStorageOrWeb(Types.InAssembly(ThisAssembly).That().HaveName(nameof(BrokenDomainEntity)).ShouldNot());
        Assert.False(domain.IsSuccessful);
        Assert.Equal([typeof(BrokenDomainEntity).FullName], domain.FailingTypeNames);

        var page = TouchesNoDatabase(Types.InAssembly(ThisAssembly).That().HaveName(nameof(BrokenPage)).ShouldNot());
        Assert.False(page.IsSuccessful);
        Assert.Equal([typeof(BrokenPage).FullName], page.FailingTypeNames);
    }

    private static TestResult KnowsNoStorageOrWeb(Conditions shouldNot) => shouldNot.HaveDependencyOnAny(StorageAndWeb).GetResult();

    private static TestResult TouchesNoDatabase(Conditions shouldNot) => shouldNot.HaveDependencyOnAny(DatabaseAccess).GetResult();

    private static string Describe(TestResult result) =>
        "Types that break the layering: " + string.Join(", ", result.FailingTypeNames ?? []);
}

/// <summary>A domain type that speaks EF Core: what the domain rule must refuse.</summary>
internal sealed class BrokenDomainEntity
{
    public Guid Id { get; init; }

    public DbSet<Ticket>? Related { get; init; }
}

/// <summary>A page that opens the database itself: what the page rule must refuse.</summary>
internal sealed class BrokenPage(TicketingDbContext db)
{
    public int Count() => db.Tickets.Count();
}
