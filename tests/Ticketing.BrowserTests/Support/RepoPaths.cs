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

    /// <summary>
    /// Where screenshots go: the README's folder when <c>UPDATE_SCREENSHOTS=1</c> (refresh them on
    /// purpose, then commit), otherwise a folder under the test output, so that an ordinary test run
    /// leaves the working tree untouched.
    /// </summary>
    public static string Screenshots =>
        Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Root, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
}
