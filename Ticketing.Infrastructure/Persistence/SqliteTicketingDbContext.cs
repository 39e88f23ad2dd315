using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Infrastructure.Persistence;

public sealed class SqliteTicketingDbContext(DbContextOptions<SqliteTicketingDbContext> options)
    : TicketingDbContext(options)
{
    protected override void ConfigureProviderConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no native date or decimal type that sorts and compares in SQL: store instants
        // as UTC ticks and money as integer cents so that ORDER BY and WHERE stay on the server.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        builder.Properties<decimal>().HaveConversion<CentsConverter>();
    }

    protected override void ConfigureConcurrencyToken(PropertyBuilder<byte[]> token) =>
        token.IsConcurrencyToken().IsRequired();

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));

    private sealed class CentsConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 100m, 0, MidpointRounding.AwayFromZero),
        v => v / 100m);
}
