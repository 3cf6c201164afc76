using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

public sealed class IncrementalDeduplicatorTests
{
    private static readonly Dictionary<string, string> NoNames = [];

    public static TheoryData<int, int, int> Seeds => new()
    {
        // seed, MaxBlockSize, LargeBlockWindow: the defaults, and small blocks so that most blocks are windowed.
        { 1, 50, 5 }, { 2, 50, 5 }, { 3, 4, 2 }, { 4, 6, 3 }, { 5, 3, 0 }, { 6, 5, 1 },
    };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void After_each_random_change_set_the_clusters_and_links_equal_a_full_match(int seed, int maxBlock, int window)
    {
        var options = new DedupeOptions { MaxBlockSize = maxBlock, LargeBlockWindow = window };
        var org = new IncrementalOrg(seed, contacts: 400, companies: 60);
        var contacts = IncrementalDeduplicator.Contacts(org.Contacts, options, previous: null);
        var companies = IncrementalDeduplicator.Companies(org.Companies, options, previous: null);
        Assert.Equal("no stored state", contacts.FullReason);
        var incrementalPasses = 0;
        for (var round = 0; round < 12; round++)
        {
            org.Change(round % 3 == 0 ? 0.05 : 0.01);
            contacts = IncrementalDeduplicator.Contacts(org.Contacts, options, contacts.State);
            companies = IncrementalDeduplicator.Companies(org.Companies, options, companies.State);
            incrementalPasses += contacts.Full ? 0 : 1;

            var fullContacts = IncrementalDeduplicator.Contacts(org.Contacts, options, previous: null);
            Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(org.Contacts, NoNames, options)), IncrementalOrg.Render(fullContacts.Clusters));
            Assert.Equal(IncrementalOrg.Render(fullContacts.Clusters), IncrementalOrg.Render(contacts.Clusters));
            Assert.Equal(IncrementalOrg.Render(contacts.Clusters), IncrementalOrg.Render(contacts.State.Clusters));
            Assert.Equal(Links(fullContacts.State), Links(contacts.State));
            Assert.Equal(Records(fullContacts.State), Records(contacts.State));

            var fullCompanies = IncrementalDeduplicator.Companies(org.Companies, options, previous: null);
            Assert.Equal(IncrementalOrg.Render(Deduplicator.FindCompanyClusters(org.Companies, options)), IncrementalOrg.Render(companies.Clusters));
            Assert.Equal(Links(fullCompanies.State), Links(companies.State));
        }
        // The org crosses no power of two in most rounds: the rounds are incremental, not full matches in disguise.
        Assert.True(incrementalPasses >= 8, $"{incrementalPasses} incremental passes of 12");
    }

    [Fact]
    public void The_planted_duplicates_make_clusters_and_large_blocks_are_windowed()
    {
        // The property test above is not vacuous: the org has clusters, and blocks past MaxBlockSize.
        var org = new IncrementalOrg(1, contacts: 400);
        var full = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions { MaxBlockSize = 4, LargeBlockWindow = 2 }, null);
        Assert.True(full.Clusters.Count >= 30, $"{full.Clusters.Count} clusters");
        var blockSizes = full.State.Keys.GroupBy(k => k & ~full.State.OwnerMask).Select(g => g.Count()).ToList();
        Assert.True(blockSizes.Count(s => s > 4) >= 20, $"{blockSizes.Count(s => s > 4)} blocks past 4 records");
    }

    [Fact]
    public void A_pass_after_a_one_percent_change_does_at_most_five_percent_of_a_full_matchs_comparisons()
    {
        var options = new DedupeOptions();
        var org = new IncrementalOrg(7, contacts: 6000);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, options, null);
        org.Change(0.01);
        var incremental = IncrementalDeduplicator.Contacts(org.Contacts, options, first.State);
        var full = IncrementalDeduplicator.Contacts(org.Contacts, options, null);

        Assert.Null(incremental.FullReason);
        Assert.Equal(IncrementalOrg.Render(full.Clusters), IncrementalOrg.Render(incremental.Clusters));
        Assert.True(incremental.Comparisons > 0);
        Assert.True(incremental.Comparisons <= 0.05 * full.Comparisons, $"{incremental.Comparisons} comparisons against {full.Comparisons} for a full match");
    }

    [Fact]
    public void Nothing_changed_compares_nothing_and_changes_nothing()
    {
        var org = new IncrementalOrg(8, contacts: 300);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var again = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), first.State);

        Assert.Equal((0L, true, false), (again.Comparisons, again.Change.IsEmpty, again.Full));
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public void A_settings_change_or_a_request_matches_everything_again()
    {
        var org = new IncrementalOrg(9, contacts: 300);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var full = first.Comparisons;

        var threshold = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions { Threshold = 0.9 }, first.State);
        var extra = IncrementalDeduplicator.Contacts(org.Contacts,
            new DedupeOptions { ExtraFields = new(StringComparer.OrdinalIgnoreCase) { ["gender"] = "exact" } }, first.State);
        var requested = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), first.State, full: true);
        // Not a setting of the matching: switching incremental off and on again keeps the state.
        var same = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions { Incremental = false }, first.State);

        Assert.Equal(("the settings or the matcher changed", full), (threshold.FullReason, threshold.Comparisons));
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(org.Contacts, NoNames, new DedupeOptions { Threshold = 0.9 })),
            IncrementalOrg.Render(threshold.Clusters));
        Assert.Equal("the settings or the matcher changed", extra.FullReason);
        Assert.Equal(("requested", full, true), (requested.FullReason, requested.Comparisons, requested.Change.Full));
        Assert.Equal((null, 0L), (same.FullReason, same.Comparisons));
    }

    [Fact]
    public void The_settings_fingerprint_names_the_matcher_version_and_every_setting_that_changes_clusters()
    {
        var options = new DedupeOptions { ExtraFields = new(StringComparer.OrdinalIgnoreCase) { ["gender"] = "exact" } };
        Assert.Equal($"v{IncrementalDeduplicator.MatcherVersion}|contact|t=0.8|b=50|w=5|s=0.5|x=gender:Exact",
            IncrementalDeduplicator.SettingsFingerprint("contact", options));
    }

    [Fact]
    public void Records_out_of_id_order_are_matched_in_full()
    {
        var org = new IncrementalOrg(10, contacts: 200);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var reversed = org.Contacts.AsEnumerable().Reverse().ToList();
        var again = IncrementalDeduplicator.Contacts(reversed, new DedupeOptions(), first.State);

        Assert.Equal("the records are not in id order", again.FullReason);
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(reversed, NoNames, new DedupeOptions())), IncrementalOrg.Render(again.Clusters));
    }

    private static List<string> Links(DedupeState state) =>
        state.Links.Select(l => $"{l.LeftId}~{l.RightId}={l.Score:R}").Order(StringComparer.Ordinal).ToList();

    private static List<string> Records(DedupeState state) =>
        Enumerable.Range(0, state.Count).Select(r => $"{state.Ids[r]}:{state.Fingerprints[r]}:{state.SortKeys[r]}:{string.Join(',', state.KeysOf(r).ToArray())}").ToList();
}
