namespace CrmPulse.Tests.Support;

/// <summary>
/// A real small filesystem (tmpfs) mounted on a temp folder, that a test can fill up to the last byte and free again:
/// a full disk as the kernel reports it (ENOSPC), not a simulation. Mounting needs root (CAP_SYS_ADMIN), which
/// ./test.sh has; without it the test fails with a message saying so, it is never skipped.
/// </summary>
public sealed class TinyDisk : IAsyncDisposable
{
    private readonly string _filler;

    private TinyDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler.bin");
    }

    public string Path { get; }

    public static async Task<TinyDisk> MountAsync(int megabytes)
    {
        var dir = Directory.CreateTempSubdirectory("crmpulse-disk-").FullName;
        var (code, _, stderr) = await Tools.RunAsync("/bin/mount", $"-t tmpfs -o size={megabytes}m crmpulse-test {dir}");
        if (code != 0)
        {
            Directory.Delete(dir);
            throw new InvalidOperationException(
                $"Could not mount a {megabytes} MB tmpfs on {dir} ({stderr.Trim()}): the full-disk tests need root (CAP_SYS_ADMIN), as ./test.sh runs.");
        }
        return new TinyDisk(dir);
    }

    /// <summary>Writes a filler file until the filesystem has no block left.</summary>
    public void Fill()
    {
        using var file = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        foreach (var size in new[] { 1 << 20, 1 << 12, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true) file.Write(chunk);
            }
            catch (IOException)
            {
                // ENOSPC: go on with smaller chunks until not even one byte fits.
            }
        }
    }

    /// <summary>Deletes the filler: the space is back.</summary>
    public void Free() => File.Delete(_filler);

    public async ValueTask DisposeAsync()
    {
        var (code, _, _) = await Tools.RunAsync("/bin/umount", Path);
        if (code != 0) await Tools.RunAsync("/bin/umount", $"-l {Path}"); // a process still holds a file: detach it
        Directory.Delete(Path, recursive: true);
    }
}
