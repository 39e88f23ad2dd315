using System.Reflection;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Web.Tests.Architecture;

/// <summary>
/// The layering, checked on the compiled assemblies so that it survives the next change: the domain
/// knows no storage or web framework, pages and API endpoints reach the database only through
/// the use cases in Infrastructure, and a context's use cases change only its own aggregates. Each
/// rule is also run against a deliberately broken type in this file, so a rule that stopped biting
/// fails here.
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

    /// <summary>Writes across contexts that the design chose, as "Caller context → Aggregate.Method".</summary>
    private static readonly HashSet<string> AllowedCrossContextWrites =
    [
        // 0013: a payment claims its order, so that an order is charged at most once.
        "Payments → Order.ClaimPayment",
        "Payments → Order.ReleasePayment",
        "Payments → Order.AwaitConfirmation",
        "Payments → Order.DeclineConfirmation",

        // 0018: an admin's refund undoes the sale on the order in the transaction that records the money.
        "Payments → Order.Refund",

        // 0016: a new ticket file changes how the listing is delivered.
        "Delivery → Ticket.ChangeDelivery",

        // 0020: deleting an account ends its live orders and anonymises what must be kept.
        "Identity → Order.Cancel",
        "Identity → Order.AnonymiseBuyer",
        "Identity → Ticket.AnonymiseSeller",
        "Identity → Ticket.Withdraw",
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

    /// <summary>
    /// SPEC: "a context changes only its own tables and learns about the others through events". Every
    /// call from Ticketing.Infrastructure.&lt;Context&gt; that changes an aggregate of another context
    /// (see <see cref="ContextWrites"/> for how a change is recognised) must be one the design chose,
    /// for the decision named beside it. The list must be exact, so that a write that goes away takes
    /// its permission with it. Not seen by this rule: SQL written by hand (ExecuteUpdate, raw SQL).
    /// </summary>
    [Fact]
    public void UseCases_ChangeOnlyTheirOwnContextsAggregates_OrAWriteTheDesignChose()
    {
        var useCases = ContextWrites.TypesOf(typeof(TicketOrders), t => ContextWrites.InfrastructureContextOf(t) is not null);
        Assert.NotEmpty(useCases);

        var writes = ContextWrites.Find(useCases, ContextWrites.InfrastructureContextOf).ToHashSet();

        Assert.Empty(writes.Except(AllowedCrossContextWrites));
        Assert.Empty(AllowedCrossContextWrites.Except(writes));
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

        var orders = ContextWrites.TypesOf(typeof(LayeringTests), t => ContextWrites.Outermost(t).Name == nameof(BrokenOrderUseCase));
        Assert.Equal(["Orders → Ticket.MarkSold"], ContextWrites.Find(orders, _ => "Orders"));
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

/// <summary>An Orders use case that sells the ticket itself instead of raising an event: what the context rule must refuse.</summary>
internal sealed class BrokenOrderUseCase
{
    public static bool Sell(Ticket ticket, Order order, DateTimeOffset now) =>
        order.Status == OrderStatus.Complete && ticket.MarkSold(order.Id, now);
}
