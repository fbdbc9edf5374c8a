namespace PostGate.Functions.Tests;

/// <summary>Folders of the source tree, found from the test's output folder.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding PostGate.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PostGate.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PostGate.sln above {AppContext.BaseDirectory}.");
    }
}
