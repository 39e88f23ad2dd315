namespace Ticketing.BrowserTests.Support;

public static class RepoPaths
{
    /// <summary>The folder holding Ticketing.sln, found by walking up from the test binaries.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Ticketing.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Ticketing.sln was not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Screenshots => Path.Combine(Root, "docs", "screenshots");
}
