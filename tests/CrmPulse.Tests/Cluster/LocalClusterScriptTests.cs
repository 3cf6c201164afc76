using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmPulse.Tests.Support;
using Xunit.Abstractions;

namespace CrmPulse.Tests.Cluster;

/// <summary>
/// samples/cluster/local-cluster.sh, the README's cluster without Docker, run as a reviewer would: start (its own
/// PostgreSQL and three nodes; the test's build as the binary instead of a publish), kill -9 of a node (the others see
/// it leave), start again (the killed node comes back), stop --purge (every process gone, the folder deleted).
/// </summary>
[Collection("Cluster")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // a bash script, pg_ctl, /proc
public sealed partial class LocalClusterScriptTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"^(node\d) pid (\d+) http://127\.0\.0\.1:(\d+) (running|stopped)", RegexOptions.Multiline)]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"^postgresql pid (\d+) 127\.0\.0\.1:(\d+) running", RegexOptions.Multiline)]
    private static partial Regex PostgresLine();

    private static Dictionary<string, (int Pid, int Port, bool Running)> Nodes(string text) =>
        NodeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => (int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), m.Groups[4].Value == "running"));

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    [Fact]
    public async Task The_script_starts_postgresql_and_three_nodes_kills_one_brings_it_back_and_stops_them_all()
    {
        var script = Path.Combine(RepoRoot.Path, "samples", "cluster", "local-cluster.sh");
        var dir = Path.Combine(Path.GetTempPath(), $"crmpulse-cluster-test-{Guid.NewGuid():N}"[..40]);
        var common = $"--dir {dir}";
        async Task<string> Run(string arguments)
        {
            var (code, stdout, stderr) = await Tools.RunAsync("/bin/bash", $"{script} {arguments}", timeout: TimeSpan.FromMinutes(6));
            output.WriteLine($"$ local-cluster.sh {arguments}\n{stdout}{stderr}");
            Assert.True(code == 0, $"local-cluster.sh {arguments} exited with {code}: {stdout}{stderr}");
            return stdout;
        }
        var started = new Dictionary<string, (int Pid, int Port, bool Running)>();
        try
        {
            var start = await Run($"start {common} --bin {AppContext.BaseDirectory} --base-port 0 --checkin 00:00:02");
            started = Nodes(start);
            Assert.Equal(["node1", "node2", "node3"], started.Keys.Order());
            Assert.All(started.Values, n => Assert.True(n.Running && Alive(n.Pid)));
            var postgres = PostgresLine().Match(start);
            Assert.True(postgres.Success, start);
            Assert.True(Alive(int.Parse(postgres.Groups[1].Value)));
            // The connection string (with the made-up password) lives in a file only its owner reads, not on any output.
            var secret = Path.Combine(dir, "crmpulse-db");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
            var password = File.ReadAllText(secret).Split("Password=")[1].Trim();
            Assert.DoesNotContain(password, start);

            using var node1 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{started["node1"].Port}") };
            await WaitForMembersAsync(node1, ["node1", "node2", "node3"]);

            var killed = await Run($"kill node2 {common}");
            Assert.Contains($"node2 (pid {started["node2"].Pid}) killed with SIGKILL", killed);
            Assert.False(Alive(started["node2"].Pid));
            await WaitForMembersAsync(node1, ["node1", "node3"]);
            var status = Nodes(await Run($"status {common}"));
            Assert.False(status["node2"].Running);
            Assert.True(status["node1"].Running && status["node3"].Running);

            // start again: only what is not running (node2), on its port.
            var again = Nodes(await Run($"start {common} --bin {AppContext.BaseDirectory} --checkin 00:00:02"));
            Assert.Equal(started["node1"].Pid, again["node1"].Pid);
            Assert.NotEqual(started["node2"].Pid, again["node2"].Pid);
            Assert.Equal(started["node2"].Port, again["node2"].Port);
            started = again;
            await WaitForMembersAsync(node1, ["node1", "node2", "node3"]);
            var sources = await node1.GetFromJsonAsync<JsonElement>("/api/sources");
            Assert.Equal(["demo-a", "demo-b", "demo-c"], sources.EnumerateArray().Select(s => s.GetProperty("name").GetString()));

            var stop = await Run($"stop {common} --purge");
            Assert.Contains("postgresql stopped", stop);
            Assert.All(started.Values, n => Assert.False(Alive(n.Pid)));
            Assert.False(Alive(int.Parse(postgres.Groups[1].Value)));
            Assert.False(Directory.Exists(dir));
        }
        finally
        {
            if (Directory.Exists(dir)) await Tools.RunAsync("/bin/bash", $"{script} stop {common} --purge", timeout: TimeSpan.FromMinutes(2));
        }
    }

    private static async Task WaitForMembersAsync(HttpClient client, string[] members)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await client.GetStringAsync("/api/cluster");
                var now = JsonDocument.Parse(last).RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("node").GetString()!).ToArray();
                if (now.SequenceEqual(members)) return;
            }
            catch (HttpRequestException)
            {
                // not answering yet
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The members did not become {string.Join(", ", members)} within 120 s; last answer: {last}");
    }
}
