using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CrmPulse.Storage.Tests.Postgres;

/// <summary>
/// A real PostgreSQL (Debian's postgresql 15: initdb, pg_ctl) in a temp folder, on a free 127.0.0.1 port, with SCRAM
/// password login over TCP and its socket inside the folder; stopped by the postmaster's process id. A missing
/// PostgreSQL fails the test, never skips it: ./test.sh installs the Debian package 'postgresql'. As root (this
/// machine) the server runs as the 'postgres' user, which the package creates. One server serves a test run
/// (<see cref="Shared"/>); each test takes a database or a schema of its own. Also linked into CrmPulse.Tests.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "crmpulse";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(async () =>
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    private int _databases;

    private PostgresServer(string bin, string folder, int port, string password)
    {
        Bin = bin;
        Folder = folder;
        Port = port;
        Password = password;
    }

    /// <summary>The server of this test run, started by the first test that asks.</summary>
    public static Task<PostgresServer> Shared => SharedServer.Value;

    public string Bin { get; }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>The test role's password: made up per run, never a real secret.</summary>
    public string Password { get; }

    /// <summary>The postmaster's process id while it runs.</summary>
    public int? Pid { get; private set; }

    private string DataFolder => Path.Combine(Folder, "data");

    /// <summary>A connection string of the test role (a superuser of this throw-away cluster) to <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres", string? searchPath = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Database = database, Username = User, Password = Password, SearchPath = searchPath,
        // Tests open many stores: each its own small pool, closed with the store.
        MaxPoolSize = 20, Timeout = 30, CommandTimeout = 120,
    }.ToString();

    /// <summary>Creates an empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(ConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    /// <summary>Creates an empty schema in the 'postgres' database (much faster than a database); returns a connection
    /// string whose search path is that schema, so the store's tables are created in it.</summary>
    public async Task<(string ConnectionString, string Schema)> CreateSchemaAsync()
    {
        var name = $"s{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..20];
        await ExecuteAsync(ConnectionString(), $"CREATE SCHEMA \"{name}\"");
        return (ConnectionString("postgres", name), name);
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>initdb in a fresh temp folder, then start.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = RequireBin();
        RemoveStoppedFolders();
        var folder = Directory.CreateTempSubdirectory("crmpulse-pg-").FullName;
        var server = new PostgresServer(bin, folder, FreePort(), Guid.NewGuid().ToString("N"));
        try
        {
            var passwordFile = Path.Combine(folder, "pw");
            await File.WriteAllTextAsync(passwordFile, server.Password + "\n");
            if (IsRoot) await Run("/bin/chown", "-R", "postgres:postgres", folder);
            await server.RunAsServer("initdb", "-D", server.DataFolder, "-U", User, "-E", "UTF8", "--locale=C.UTF-8",
                "--auth-local=trust", "--auth-host=scram-sha-256", $"--pwfile={passwordFile}");
            File.Delete(passwordFile);
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessAsync()
    {
        // fsync off: test speed only. The socket goes into the temp folder (no /run/postgresql needed).
        await RunAsServer("pg_ctl", "-D", DataFolder, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {Folder} -c fsync=off -c synchronous_commit=off -c max_connections=300", "start");
        Pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(DataFolder, "postmaster.pid")))[0].Trim());
    }

    /// <summary>Stops the postmaster by its process id (SIGINT: fast shutdown; SIGKILL after 30 s) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (Pid is not { } pid) return;
        Pid = null;
        if (!IsRunning(pid)) return;
        await Run("/bin/kill", "-INT", pid.ToString());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        // The postmaster removes its pid file last: until then its children may still write into the folder.
        while ((IsRunning(pid) || File.Exists(Path.Combine(DataFolder, "postmaster.pid"))) && DateTime.UtcNow < deadline) await Task.Delay(50);
        if (IsRunning(pid)) await Run("/bin/kill", "-KILL", pid.ToString());
    }

    /// <summary>Alive and not a zombie (an orphaned postmaster is reaped by PID 1 a little later).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a file still held: the temp folder is cleaned by the system
        }
    }

    /// <summary>The folders of earlier runs whose server has stopped (the test host may exit before its exit handler has
    /// deleted them): no postmaster.pid, untouched for an hour.</summary>
    private static void RemoveStoppedFolders()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "crmpulse-pg-*"))
        {
            try
            {
                if (File.Exists(Path.Combine(folder, "data", "postmaster.pid"))) continue;
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) < TimeSpan.FromHours(1)) continue;
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another run's, or going away anyway
            }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a PostgreSQL program; as root through runuser as 'postgres' (initdb and pg_ctl refuse root).</summary>
    private Task RunAsServer(string program, params string[] arguments) =>
        IsRoot
            ? Run("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(Bin, program), .. arguments])
            : Run(Path.Combine(Bin, program), arguments);

    private static async Task Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(), // readable by 'postgres'
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        // pg_ctl's server inherits nothing of ours: its output goes to the log file, so these ends close when pg_ctl exits.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static string RequireBin()
    {
        foreach (var dir in new[] { Environment.GetEnvironmentVariable("CRMPULSE_PG_BIN"), "/usr/lib/postgresql/15/bin" }
                     .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : []))
        {
            if (dir is not null && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        }
        throw new InvalidOperationException(
            "PostgreSQL (initdb, pg_ctl) is not installed. Run ./test.sh (it installs the Debian package 'postgresql'), or apt-get install postgresql.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
