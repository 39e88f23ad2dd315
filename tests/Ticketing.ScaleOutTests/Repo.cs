namespace Ticketing.ScaleOutTests;

internal static class Repo
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ticketing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Ticketing.sln above {AppContext.BaseDirectory}.");
    }
}
