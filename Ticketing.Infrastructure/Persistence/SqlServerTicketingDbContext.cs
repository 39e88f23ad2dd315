using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Infrastructure.Events;

namespace Ticketing.Infrastructure.Persistence;

public sealed class SqlServerTicketingDbContext(DbContextOptions<SqlServerTicketingDbContext> options, DomainEventPipeline? pipeline = null)
    : TicketingDbContext(options, pipeline)
{
    protected override void ConfigureProviderConventions(ModelConfigurationBuilder builder) =>
        builder.Properties<decimal>().HavePrecision(18, 2);

    protected override void ConfigureConcurrencyToken(PropertyBuilder<byte[]> token) => token.IsRowVersion();
}
