using Microsoft.Extensions.Configuration;
using Ticketing.Infrastructure.Delivery;

namespace Ticketing.Infrastructure.Tests.Delivery;

/// <summary>How <c>Storage:Provider</c> is read: a member's name in any case, the database when unset, and nothing else.</summary>
public sealed class StorageSettingsTests
{
    private static readonly string ContentRoot = Path.Combine(Path.GetTempPath(), "storage-settings");

    private static StorageSettings Read(string? provider) =>
        StorageSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = provider }).Build(), ContentRoot);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("database")]
    [InlineData("Database")]
    public void Provider_UnsetOrDatabase_KeepsFilesInTheDatabase(string? provider) =>
        Assert.Equal(TicketFileStorage.Database, Read(provider).Provider);

    [Theory]
    [InlineData("Folder")]
    [InlineData("FOLDER")]
    public void Provider_Folder_InAnyCase_KeepsFilesInTheAppDataFolder(string provider)
    {
        var settings = Read(provider);

        Assert.Equal(TicketFileStorage.Folder, settings.Provider);
        Assert.Equal(Path.Combine(ContentRoot, "App_Data", "ticket-files"), settings.Folder);
    }

    [Theory]
    [InlineData("S3")]
    [InlineData("1")]
    [InlineData("Folder,Database")]
    public void Provider_Unknown_StopsWithTheNamesItTakes(string provider)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(provider));

        Assert.Equal($"Storage:Provider must be 'Database' or 'Folder', not '{provider}'.", error.Message);
    }
}
