using CrmPulse.Core.Dedupe;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>How a <see cref="DedupeState"/> holds its records' keys (issue 21: the state's memory).</summary>
public sealed class DedupeStateTests
{
    [Fact]
    public void A_state_of_a_million_records_holds_each_key_in_six_bytes_and_reads_it_back_but_for_its_owner_bits()
    {
        var mask = BlockMatcher.OwnerMask(1_000_000); // 20 bits: 44 bits of each key are read, held in 6 bytes
        long[] keys = [0x0123_4567_89AB_CDEF, -1, long.MinValue, long.MaxValue, 0x0000_0000_0010_0000, -0x0000_0000_0010_0001];
        long[] sortKeys = [-5, 0x7FFF_FFFF_FFF0_0001, 0x0000_0000_0030_0000];
        var state = new DedupeState("s", mask, ["a", "b", "c"], [1, 2, 3], sortKeys, [2, 0, 4], keys, [], []);

        Assert.Equal([keys[0] & ~mask, keys[1] & ~mask], state.KeysOf(0));
        Assert.Empty(state.KeysOf(1));
        Assert.Equal(keys[2..].Select(k => k & ~mask), state.KeysOf(2));
        // A sort key is read as its bits above the owner bits, less the sign (BlockMatcher.WindowOrder).
        Assert.Equal(sortKeys.Select(k => k & ~mask & long.MaxValue), state.SortKeys);
        Assert.Equal(6 * keys.Length + 2, state.Keys.Bytes);
        Assert.Equal(6 * sortKeys.Length + 2, state.SortKeys.Bytes);
    }

    [Theory]
    [InlineData(2, 8)] // one owner bit: 63 bits are read
    [InlineData(1 << 16, 6)]
    [InlineData(1 << 24, 5)]
    [InlineData(1 << 30, 5)]
    public void Keys_take_the_bytes_their_bits_above_the_owner_bits_need(int records, int width)
    {
        var mask = BlockMatcher.OwnerMask(records);
        var packed = new PackedKeys(3, mask);
        long[] values = [-1, 0x5A5A_5A5A_5A5A_5A5A, long.MinValue + 12345];
        for (var i = 0; i < values.Length; i++) packed.Set(i, values[i]);
        Assert.Equal(values.Select(v => v & ~mask), packed);
        Assert.Equal(3 * width + 8 - width, packed.Bytes);
    }

    [Fact]
    public void A_stored_state_whose_keys_still_have_their_owner_bits_gives_the_same_pass()
    {
        // A state stored before the keys were held without their owner bits has them (a key's own hash bits there):
        // the pass from it equals the pass from the state as held now.
        var options = new DedupeOptions { MaxBlockSize = 4, LargeBlockWindow = 2 };
        var org = new IncrementalOrg(31, contacts: 400);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, options, null).State;
        var random = new Random(31);
        var raw = new DedupeState(first.Settings, first.OwnerMask, first.Ids, first.Fingerprints,
            first.SortKeys.Select(k => k | (random.NextInt64() & first.OwnerMask)).ToArray(),
            Enumerable.Range(0, first.Count).Select(first.KeyCount).ToArray(),
            first.Keys.Select(k => k | (random.NextInt64() & first.OwnerMask)).ToArray(), first.Links, first.Clusters, first.Model);
        org.Change(0.05);
        var (held, stored) = (IncrementalDeduplicator.Contacts(org.Contacts, options, first), IncrementalDeduplicator.Contacts(org.Contacts, options, raw));
        Assert.Null(stored.FullReason);
        Assert.Equal(IncrementalOrg.Render(held.Clusters), IncrementalOrg.Render(stored.Clusters));
        Assert.Equal(held.State.Links.Select(l => l.ToString()), stored.State.Links.Select(l => l.ToString()));
        Assert.Equal(held.State.Keys, stored.State.Keys);
        Assert.Equal(held.State.SortKeys, stored.State.SortKeys);
    }

    [Fact]
    public void Clusters_hold_their_reasons_beside_their_ids_and_each_reason_text_once()
    {
        PersonRecord Jane(string id, string email) => new() { Id = id, FirstName = "Jane", LastName = "Doe", Email = email };
        PersonRecord Omar(string id) => new() { Id = id, FirstName = "Omar", LastName = "Nasser", Email = "omar@initech.com" };
        var clusters = Deduplicator.MatchPeople([Jane("j1", "jane@acme.com"), Jane("j2", "jane@acme.com"), Omar("o1"), Omar("o2"), Omar("o3")],
            new DedupeOptions()).Clusters;

        Assert.Equal(["j1,j2 | j2=same e-mail + same name", "o1,o2,o3 | o2=same e-mail + same name;o3=same e-mail + same name"],
            IncrementalOrg.Render(clusters));
        Assert.All(clusters, c => Assert.IsType<DuplicateReasons>(c.Reasons));
        Assert.Same(clusters[0].Reasons["j2"], clusters[1].Reasons["o3"]);
        Assert.Equal([new KeyValuePair<string, string>("o2", "same e-mail + same name"), new("o3", "same e-mail + same name")], clusters[1].Reasons);
        Assert.False(clusters[1].Reasons.ContainsKey("o1")); // the survivor has no reason
        Assert.Equal("matched", clusters[1].ReasonFor("nobody"));
    }

    [Fact]
    public void A_cluster_past_sixteen_duplicates_or_with_a_duplicate_without_a_reason_keeps_a_dictionary()
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var ids = Enumerable.Range(0, 18).Select(i => $"c{i:D2}").ToList();
        var large = DuplicateReasons.Of(ids, ids.Skip(1).Select(id => (string?)$"why {id}").ToArray(), texts);
        Assert.IsType<Dictionary<string, string>>(large);
        Assert.Equal("why c17", large["c17"]);
        var gap = DuplicateReasons.Of(["a", "b", "c"], ["why b", null], texts);
        Assert.Equal([new KeyValuePair<string, string>("b", "why b")], gap);
        Assert.Throws<ArgumentException>(() => DuplicateReasons.Of(["a", "b"], [], texts));
    }
}
