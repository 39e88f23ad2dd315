using System.Reflection;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Quartz;
using Ticketing.Infrastructure.Delivery;
using Ticketing.Infrastructure.Audit;
using Ticketing.Infrastructure.Email;
using Ticketing.Infrastructure.Expiration;
using Ticketing.Infrastructure.Identity;
using Ticketing.Infrastructure.Orders;
using Ticketing.Infrastructure.Payments;
using Ticketing.Infrastructure.Tickets;

namespace Ticketing.Infrastructure;

public static class DependencyInjection
{
    /// <summary>The database, the contexts' use cases and handlers, the outbox and the scheduler.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddDatabase(configuration, environment);
        services.AddEvents(configuration);
        services.AddAuditTrail();
        services.AddExpiration();

        services.AddOptions<OrderingOptions>()
            .Bind(configuration.GetSection(OrderingOptions.Section))
            .Validate(o => o.ReservationMinutes > 0 && o.ReservationSeconds is null or > 0, "Ordering:ReservationMinutes and Ordering:ReservationSeconds (when set) must be positive.")
            .ValidateOnStart();
        services.AddPayments(configuration);
        services.AddDelivery(configuration, environment.ContentRootPath);
        services.AddEmail(configuration);
        services.AddMarkedServices();
        return services;
    }

    /// <summary>The classes marked <see cref="ScopedAttribute"/> or <see cref="SingletonAttribute"/>: the contexts' use cases and what they share.</summary>
    private static void AddMarkedServices(this IServiceCollection services)
    {
        foreach (var type in typeof(DependencyInjection).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<RegisteredAttribute>() is { } registered)
            {
                services.Add(new ServiceDescriptor(type, type, registered.Lifetime));
            }
        }
    }

    private static void AddDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = DatabaseSettings.From(configuration, environment.ContentRootPath);
        services.AddSingleton(settings);
        if (settings.Provider == DatabaseProvider.SqlServer)
        {
            services.AddPooledDbContextFactory<SqlServerTicketingDbContext>((sp, o) => o.UseSqlServer(settings.ConnectionString).LogFailuresWhereHandled().PublishThrough(sp.GetRequiredService<DomainEventPipeline>()));
            services.AddSingleton<IDbContextFactory<TicketingDbContext>, ContextFactory<SqlServerTicketingDbContext>>();
            services.AddSingleton<CommitStamp, SqlServerCommitStamp>();
        }
        else
        {
            services.AddPooledDbContextFactory<SqliteTicketingDbContext>((sp, o) => o.UseSqlite(settings.ConnectionString).AddInterceptors(new SqliteConnectionSetup()).LogFailuresWhereHandled().PublishThrough(sp.GetRequiredService<DomainEventPipeline>()));
            services.AddSingleton<IDbContextFactory<TicketingDbContext>, ContextFactory<SqliteTicketingDbContext>>();
            services.AddSingleton<CommitStamp, SqliteCommitStamp>();
        }

        // Request and job scopes (Identity's stores, outbox handlers) share one context per scope.
        services.AddScoped<ScopedDbContext>();
        services.AddScoped(sp => sp.GetRequiredService<ScopedDbContext>().Context);
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<Demo.DemoMarket>();

        // Keys in the shared database: a cookie issued by one instance (or before a restart) stays valid.
        services.AddDataProtection()
            .SetApplicationName("Ticketing")
            .PersistKeysToDbContext<TicketingDbContext>();
    }

    /// <summary>
    /// A failed save is logged by whoever handles it, not by EF Core at Error with its stack trace:
    /// most are lost races the caller decides again (two deliveries of one payment both inserting
    /// the order's e-ticket), which are normal outcomes, not errors; a failure nobody handles reaches
    /// the request's exception handler, the outbox or the job, each of which logs it once.
    /// </summary>
    private static DbContextOptionsBuilder LogFailuresWhereHandled(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    private static void AddEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboxOptions>()
            .Bind(configuration.GetSection("Outbox"))
            .Validate(
                o => o.PollInterval > TimeSpan.Zero && o.ClaimDuration > TimeSpan.Zero && o.BatchSize > 0 && o.MaxAttempts > 0 && o.RetentionDays > 0,
                "Outbox:PollInterval, ClaimDuration, BatchSize, MaxAttempts and RetentionDays must be positive.")
            .ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OnCommitClaims>();
        services.AddSingleton<OnCommitDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<OnCommitDelivery>());
        services.AddSingleton<DomainEventPipeline>();

        services.AddSingleton<IDomainEventReaction, LockTicketOnOrderCreated>();
        services.AddSingleton<IDomainEventReaction, UnlockTicketOnOrderCancelled>();
        services.AddSingleton<IDomainEventReaction, SellTicketOnPaymentCreated>();
        services.AddSingleton<IDomainEventReaction, CompleteOrderOnPaymentCreated>();
        services.AddSingleton<IDomainEventReaction, RefundOrderOnPaymentReversed>();
        services.AddSingleton<IDomainEventReaction, ReturnTicketOnOrderRefunded>();
        services.AddSingleton<IDomainEventReaction, OweRefundOnOrderRefunded>();

        services.AddScoped<IEventHandler, ScheduleExpirationOnOrderCreated>();
        services.AddScoped<IEventHandler, UnscheduleExpirationOnOrderCompleted>();
        services.AddScoped<IEventHandler, UnscheduleExpirationOnOrderCancelled>();
        services.AddScoped<IEventHandler, StopPaymentOnOrderCancelled>();

        services.AddSingleton(new EventHandlerRegistrations(services));
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
    }

    private static void AddExpiration(this IServiceCollection services)
    {
        services.AddSingleton<ExpirationScheduler>();

        // Registered before the scheduler's hosted service so that it stops after it: a sweep job
        // still running at shutdown is waiting for this consumer.
        services.AddSingleton<ExpirationCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpirationCoalescer>());
        services.AddQuartz(q =>
        {
            // Unique per host: Quartz keeps a process-wide registry of schedulers by name, and tests
            // run several hosts in one process.
            q.SchedulerName = $"ticketing-{Guid.NewGuid():N}";
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = 4);
            q.AddJob<OverdueOrderSweepJob>(j => j.WithIdentity("overdue-order-sweep").StoreDurably());
            q.AddTrigger(t => t.ForJob("overdue-order-sweep")
                .StartAt(DateTimeOffset.UtcNow + OverdueOrderSweepJob.Interval)
                .WithSimpleSchedule(s => s.WithInterval(OverdueOrderSweepJob.Interval).RepeatForever()));
            q.AddOutboxRetention();
        });
        QuartzLoggerFactory.Register(services);
        // Shutdown does not wait for running jobs: Quartz would wait without a bound, past the host's
        // shutdown timeout, for a job stuck on a provider or a lock. Every job is safe to cut short:
        // its transaction rolls back, and the next run (here or on another instance) does the work.
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        services.AddHostedService<ExpirationRecovery>();
    }

    /// <summary>Hands out the provider's context as the shared base type.</summary>
    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<TicketingDbContext>
        where TContext : TicketingDbContext
    {
        public TicketingDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<TicketingDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
