using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Infrastructure.Persistence;

public sealed class SqlServerTicketingDbContext(DbContextOptions<SqlServerTicketingDbContext> options)
    : TicketingDbContext(options)
{
    protected override void ConfigureProviderConventions(ModelConfigurationBuilder builder) =>
        builder.Properties<decimal>().HavePrecision(18, 2);

    protected override void ConfigureConcurrencyToken(PropertyBuilder<byte[]> token) => token.IsRowVersion();
}
