namespace CrmPulse.Tests.Support;

/// <summary>The repository root (the folder holding CrmPulse.sln), found upwards from the test binaries.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string ReadAllText(params string[] parts) => File.ReadAllText(System.IO.Path.Combine([Path, .. parts]));

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "CrmPulse.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"No CrmPulse.sln above {AppContext.BaseDirectory}.");
    }
}
