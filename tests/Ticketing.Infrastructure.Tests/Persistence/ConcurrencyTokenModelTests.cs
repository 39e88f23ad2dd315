using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Ticketing.Domain.Orders;
using Ticketing.Domain.Tickets;
using Ticketing.Infrastructure.Persistence;

namespace Ticketing.Infrastructure.Tests.Persistence;

public sealed class ConcurrencyTokenModelTests
{
    [Theory]
    [InlineData(typeof(Ticket))]
    [InlineData(typeof(Order))]
    public void SqlServer_UsesAServerGeneratedRowversion_ThatTheAppNeverWrites(Type entity)
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);

        var token = db.Model.FindEntityType(entity)!.FindProperty(ConcurrencyToken.PropertyName)!;

        Assert.True(token.IsConcurrencyToken);
        Assert.Equal(ValueGenerated.OnAddOrUpdate, token.ValueGenerated);
        Assert.Equal("rowversion", token.GetColumnType());
    }

    [Theory]
    [InlineData(typeof(Ticket))]
    [InlineData(typeof(Order))]
    public void Sqlite_UsesAnAppRenewedConcurrencyToken(Type entity)
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        var token = db.Model.FindEntityType(entity)!.FindProperty(ConcurrencyToken.PropertyName)!;

        Assert.True(token.IsConcurrencyToken);
        Assert.Equal(ValueGenerated.Never, token.ValueGenerated);
    }
}
