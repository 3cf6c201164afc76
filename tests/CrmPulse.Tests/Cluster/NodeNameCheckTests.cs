using CrmPulse.Cluster;
using CrmPulse.Options;
using CrmPulse.Storage;
using CrmPulse.Tests.Support;

namespace CrmPulse.Tests.Cluster;

/// <summary>The duplicate-NodeName check at start, against members read one after the other (the clock pinned; the one
/// wait of a check-in interval is real, 1 s here). The cluster test runs it against real nodes.</summary>
public sealed class NodeNameCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly ClusterOptions Cluster = new() { Enabled = true, NodeName = "n1", CheckinInterval = TimeSpan.FromSeconds(1) };

    /// <summary>Answers each read of the members with the next of <paramref name="reads"/> (the last one repeated).</summary>
    private sealed class Members(params ClusterMember[][] reads) : IJobRuns
    {
        public int Reads { get; private set; }

        public Task<IReadOnlyList<ClusterMember>> ClusterMembersAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ClusterMember>>(reads[Math.Min(Reads++, reads.Length - 1)]);

        public Task<long> StartRunAsync(string job, string source, string node, bool recovering, DateTimeOffset startedAt, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task FinishRunAsync(long id, string outcome, DateTimeOffset finishedAt, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<JobRun>> LastRunsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static ClusterMember Member(string node, double secondsAgo) => new(node, Now.AddSeconds(-secondsAgo), TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_name_no_member_has_is_free_after_one_read()
    {
        var members = new Members([Member("n0", 0.5), Member("n2", 0.2)]);
        Assert.Null(await NodeNameCheck.ProblemAsync(members, Cluster, new FakeClock(Now), CancellationToken.None));
        Assert.Equal(1, members.Reads);
    }

    [Fact]
    public async Task A_member_of_that_name_past_its_window_is_a_dead_node_and_its_name_is_taken_at_once()
    {
        // Window: 1 s interval + 7.5 s margin; 8.6 s ago is past it.
        var members = new Members([Member("n1", 8.6)]);
        Assert.Null(await NodeNameCheck.ProblemAsync(members, Cluster, new FakeClock(Now), CancellationToken.None));
        Assert.Equal(1, members.Reads);
    }

    [Fact]
    public async Task A_member_of_that_name_inside_its_window_whose_check_in_does_not_move_is_a_stopped_node_and_accepted()
    {
        var members = new Members([Member("n1", 8.4)], [Member("n1", 8.4)]);
        Assert.Null(await NodeNameCheck.ProblemAsync(members, Cluster, new FakeClock(Now), CancellationToken.None));
        Assert.Equal(2, members.Reads);
    }

    [Fact]
    public async Task A_member_of_that_name_whose_check_in_moves_is_live_and_the_start_is_refused_naming_it()
    {
        var clock = new FakeClock(Now);
        var members = new Members([Member("n1", 0.4)], [Member("n1", 0.1)]);
        var problem = await NodeNameCheck.ProblemAsync(members, Cluster, clock, CancellationToken.None);
        Assert.Equal("CrmPulse:Cluster:NodeName 'n1' is taken by a live member of the cluster: it last checked in at 2026-12-03T11:59:59.900Z "
            + "(0.1 s ago, every 1 s). Give this node a name of its own (CRMPULSE__CLUSTER__NODENAME), or stop the other node first.", problem);
    }
}
