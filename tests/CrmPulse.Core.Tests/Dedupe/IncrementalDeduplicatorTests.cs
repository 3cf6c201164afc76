using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

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
    public void After_each_random_change_set_the_clusters_and_links_equal_a_full_match(int seed, int maxBlock, int window) =>
        RandomChangeSets(seed, new DedupeOptions { MaxBlockSize = maxBlock, LargeBlockWindow = window }, contacts: 400, fitted: false);

    public static TheoryData<int, int, int> FittedSeeds => new() { { 11, 50, 5 }, { 12, 4, 2 }, { 13, 6, 3 }, { 14, 5, 1 } };

    /// <summary>With fitted weights (1,200 contacts, over MinRecordsForFit): the model of the first full match is kept
    /// and every incremental pass equals a full match with that same model.</summary>
    [Theory]
    [MemberData(nameof(FittedSeeds))]
    public void With_fitted_weights_each_random_change_set_equals_a_full_match_with_the_stored_model(int seed, int maxBlock, int window) =>
        RandomChangeSets(seed, new DedupeOptions { MaxBlockSize = maxBlock, LargeBlockWindow = window }, contacts: 1200, fitted: true);

    /// <summary>The snapshot's records are columns: a pass over them finds what a pass over the records finds, and its
    /// state keeps the columns' id array itself rather than a copy (issue 21: a reference per record on every pass).</summary>
    [Theory]
    [InlineData(21, 50, 5)]
    [InlineData(22, 4, 2)]
    public void Over_columns_each_random_change_set_equals_a_pass_over_records_and_keeps_the_id_column(int seed, int maxBlock, int window)
    {
        var options = new DedupeOptions { MaxBlockSize = maxBlock, LargeBlockWindow = window };
        var org = new IncrementalOrg(seed, contacts: 400, companies: 60);
        var (people, companies) = (IncrementalDeduplicator.Contacts(ContactColumns.From(org.Contacts), options, null),
            IncrementalDeduplicator.Companies(CompanyColumns.From(org.Companies), options, null));
        for (var round = 0; round < 6; round++)
        {
            org.Change(round % 3 == 0 ? 0.05 : 0.01);
            var (contactColumns, companyColumns) = (ContactColumns.From(org.Contacts), CompanyColumns.From(org.Companies));
            var records = IncrementalDeduplicator.Contacts(org.Contacts, options, people.State);
            var companyRecords = IncrementalDeduplicator.Companies(org.Companies, options, companies.State);
            people = IncrementalDeduplicator.Contacts(contactColumns, options, people.State);
            companies = IncrementalDeduplicator.Companies(companyColumns, options, companies.State);

            Assert.Same(contactColumns.Ids, people.State.Ids);
            Assert.Same(companyColumns.Ids, companies.State.Ids);
            Assert.Equal(IncrementalOrg.Render(records.Clusters), IncrementalOrg.Render(people.Clusters));
            Assert.Equal(Links(records.State), Links(people.State));
            Assert.Equal(Records(records.State), Records(people.State));
            Assert.Equal(Links(companyRecords.State), Links(companies.State));
            Assert.Equal(Records(companyRecords.State), Records(companies.State));
            var full = IncrementalDeduplicator.Contacts(org.Contacts, options, previous: null);
            Assert.Equal(IncrementalOrg.Render(full.Clusters), IncrementalOrg.Render(people.Clusters));
            Assert.Equal(Links(full.State), Links(people.State));
        }
        Assert.True(people.Clusters.Count >= 20, $"{people.Clusters.Count} clusters");
    }

    private static void RandomChangeSets(int seed, DedupeOptions options, int contacts, bool fitted)
    {
        var org = new IncrementalOrg(seed, contacts: contacts, companies: 60);
        Assert.Equal(fitted, Deduplicator.UsesFittedWeights(org.Contacts.Count, options));
        var people = IncrementalDeduplicator.Contacts(org.Contacts, options, previous: null);
        var companies = IncrementalDeduplicator.Companies(org.Companies, options, previous: null);
        Assert.Equal("no stored state", people.FullReason);
        // The first full match fits a model exactly as the plain full match does (and only with fitted weights).
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(org.Contacts, NoNames, options)), IncrementalOrg.Render(people.Clusters));
        Assert.Equal(fitted, people.State.Model is not null);
        Assert.Null(companies.State.Model);
        var model = people.State.Model;
        var incrementalPasses = 0;
        for (var round = 0; round < 12; round++)
        {
            org.Change(round % 3 == 0 ? 0.05 : 0.01);
            people = IncrementalDeduplicator.Contacts(org.Contacts, options, people.State);
            companies = IncrementalDeduplicator.Companies(org.Companies, options, companies.State);
            incrementalPasses += people.Full ? 0 : 1;
            // An incremental pass reuses the model unchanged; only a full match fits a new one.
            if (!people.Full) Assert.Same(model, people.State.Model);
            model = people.State.Model;

            IncrementalDedupeResult fullContacts;
            if (fitted)
            {
                var stored = people.State.FittedModel!;
                Assert.Equal(model, stored.ToJson());
                fullContacts = IncrementalDeduplicator.ContactsWithModel(org.Contacts, options, stored);
                Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(org.Contacts, options, stored)), IncrementalOrg.Render(fullContacts.Clusters));
            }
            else
            {
                fullContacts = IncrementalDeduplicator.Contacts(org.Contacts, options, previous: null);
                Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(org.Contacts, NoNames, options)), IncrementalOrg.Render(fullContacts.Clusters));
            }
            Assert.Equal(IncrementalOrg.Render(fullContacts.Clusters), IncrementalOrg.Render(people.Clusters));
            var contactsResult = people;
            Assert.Equal(IncrementalOrg.Render(contactsResult.Clusters), IncrementalOrg.Render(contactsResult.State.Clusters));
            Assert.Equal(Links(fullContacts.State), Links(contactsResult.State));
            Assert.Equal(Records(fullContacts.State), Records(contactsResult.State));

            var fullCompanies = IncrementalDeduplicator.Companies(org.Companies, options, previous: null);
            Assert.Equal(IncrementalOrg.Render(Deduplicator.FindCompanyClusters(org.Companies, options)), IncrementalOrg.Render(companies.Clusters));
            Assert.Equal(Links(fullCompanies.State), Links(companies.State));
        }
        // The org crosses no power of two in most rounds: the rounds are incremental, not full matches in disguise.
        Assert.True(incrementalPasses >= 8, $"{incrementalPasses} incremental passes of 12");
        Assert.True(people.Clusters.Count >= 20, $"{people.Clusters.Count} clusters");
    }

    [Fact]
    public void A_kpi_pass_with_fitted_weights_deduplicates_contacts_incrementally()
    {
        // 1,200 contacts: fitted weights by default. The second pass compares only what changed, with the first's model,
        // and its duplicate counts are a full pass's with that model.
        var org = new IncrementalOrg(17, contacts: 1200);
        var asOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        CrmSnapshot Snapshot() => new("crm", [], [], org.Contacts.ToList(), [], [], []);
        var first = new DedupeSession();
        KpiEngine.Compute(Snapshot(), asOf, new KpiOptions(), dedupe: first);
        org.Change(0.01);
        var second = new DedupeSession { PreviousContacts = first.Contacts!.State };
        var pass = KpiEngine.Compute(Snapshot(), asOf, new KpiOptions(), dedupe: second);
        var reference = new DedupeSession { PreviousContacts = first.Contacts.State, Full = true, ReuseModel = true };
        var full = KpiEngine.Compute(Snapshot(), asOf, new KpiOptions(), dedupe: reference);

        Assert.Equal("no stored state", first.Contacts.FullReason);
        Assert.NotNull(first.Contacts.State.Model);
        Assert.Null(second.Contacts!.FullReason);
        Assert.Same(first.Contacts.State.Model, second.Contacts.State.Model);
        Assert.True(second.Contacts.Comparisons <= 0.1 * reference.Contacts!.Comparisons,
            $"{second.Contacts.Comparisons} comparisons against {reference.Contacts.Comparisons}");
        static List<string> Duplicates(KpiResult r) => r.Samples.Where(x => x.Kpi.Contains("duplicate", StringComparison.Ordinal))
            .Select(x => $"{x.Kpi} {x.Dimensions} {x.Value:R}").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(Duplicates(full));
        Assert.Equal(Duplicates(full), Duplicates(pass));
        Assert.Contains(full.Samples, x => x.Kpi == "duplicate_clusters" && x.Value >= 20);
    }

    [Fact]
    public void A_fitted_model_round_trips_through_json_to_the_bit()
    {
        var org = new IncrementalOrg(15, contacts: 1200);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var json = first.State.Model!;
        var read = PersonModel.FromJson(json);

        Assert.Equal(json, read.ToJson());
        Assert.Equal(IncrementalOrg.Render(first.Clusters), IncrementalOrg.Render(Deduplicator.FindContactClusters(org.Contacts, new DedupeOptions(), read)));
        Assert.Throws<InvalidDataException>(() => PersonModel.FromJson("{\"LevelCount\":[3],\"M\":[[0,1]],\"U\":[[0,1,0]],\"Tf\":[null]}"));
        Assert.Throws<InvalidDataException>(() => PersonModel.FromJson("not json"));
    }

    [Fact]
    public void Crossing_min_records_for_fit_matches_everything_again_with_the_other_weights()
    {
        var org = new IncrementalOrg(16, contacts: 1100);
        var options = new DedupeOptions { MinRecordsForFit = 1100 };
        var fitted = IncrementalDeduplicator.Contacts(org.Contacts, options, null);
        var fewer = org.Contacts.Take(1099).ToList();
        var fixedWeights = IncrementalDeduplicator.Contacts(fewer, options, fitted.State);
        var again = IncrementalDeduplicator.Contacts(org.Contacts, options, fixedWeights.State);

        Assert.NotNull(fitted.State.Model);
        Assert.Equal(("the weights changed between fitted and fixed", (string?)null), (fixedWeights.FullReason, fixedWeights.State.Model));
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(fewer, NoNames, options)), IncrementalOrg.Render(fixedWeights.Clusters));
        Assert.Equal("the weights changed between fitted and fixed", again.FullReason);
        Assert.Equal(fitted.State.Model, again.State.Model);
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
        // 6,000 contacts: fitted weights, so the same clusters as a full match with the first pass's model.
        var full = IncrementalDeduplicator.ContactsWithModel(org.Contacts, options, first.State.FittedModel!);

        var reused = IncrementalDeduplicator.Contacts(org.Contacts, options, first.State, full: true, reuseModel: true);
        var refitted = IncrementalDeduplicator.Contacts(org.Contacts, options, first.State, full: true);

        Assert.Null(incremental.FullReason);
        Assert.Same(first.State.Model, incremental.State.Model);
        Assert.Equal((first.State.Model, "requested"), (reused.State.Model, reused.FullReason));
        Assert.Equal(Links(full.State), Links(reused.State));
        // A requested full match fits the model again, to the changed contacts.
        Assert.NotNull(refitted.State.Model);
        Assert.NotEqual(first.State.Model, refitted.State.Model);
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
        Assert.Equal($"v{IncrementalDeduplicator.MatcherVersion}|contact|wt=Fitted|ft=0.5|mf=1000|t=0.8|b=50|w=5|s=0.5|x=gender:Exact",
            IncrementalDeduplicator.SettingsFingerprint("contact", options));
        options = new DedupeOptions { Weights = DedupeWeights.Fixed, FittedThreshold = 0.75, MinRecordsForFit = 2000 };
        Assert.Equal($"v{IncrementalDeduplicator.MatcherVersion}|contact|wt=Fixed|ft=0.75|mf=2000|t=0.8|b=50|w=5|s=0.5|x=",
            IncrementalDeduplicator.SettingsFingerprint("contact", options));
        // Companies always use the fixed weights: the fitted weights' settings do not make them match again.
        Assert.Equal($"v{IncrementalDeduplicator.MatcherVersion}|company|t=0.8|b=50|w=5|s=0.5|x=",
            IncrementalDeduplicator.SettingsFingerprint("company", options));
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

    [Fact]
    public void A_record_changed_only_in_fields_the_matcher_does_not_read_is_not_compared_again()
    {
        // The stage, the owner, the modified time and an unread custom field change on 30 contacts: their fingerprints
        // do not, so the pass compares nothing and keeps the state as it was.
        var org = new IncrementalOrg(21, contacts: 300);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var edited = org.Contacts.Select((c, i) => i % 10 != 0 ? c : c with
        {
            LifecycleStage = "customer", OwnerId = "u-other", ModifiedAt = c.ModifiedAt.AddDays(3),
            Custom = CompactFields.Of(c.Custom.Append(new("favourite_colour", "teal"))),
        }).ToList();
        var again = IncrementalDeduplicator.Contacts(edited, new DedupeOptions(), first.State);

        Assert.Equal((null, 0L, true), (again.FullReason, again.Comparisons, again.Change.IsEmpty));
        Assert.Same(first.State, again.State);
    }

    [Fact]
    public void A_content_change_is_found_whether_or_not_the_modified_time_moved()
    {
        // Changes are found by the fingerprint of what the matcher reads, never by the modified time: a source that
        // edits a field without moving it (or a File source, which has none) is still matched again.
        var org = new IncrementalOrg(22, contacts: 300);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var copyOf = org.Contacts[7];
        var edited = org.Contacts.ToList();
        // Contact 40 becomes a copy of contact 7 (a new duplicate), its modified time kept.
        edited[40] = copyOf with { Id = edited[40].Id, ModifiedAt = edited[40].ModifiedAt, CreatedAt = edited[40].CreatedAt };
        var again = IncrementalDeduplicator.Contacts(edited, new DedupeOptions(), first.State);

        Assert.Null(again.FullReason);
        Assert.Equal([edited[40].Id], again.Change.UpsertedRecords.Select(i => again.State.Ids[i]));
        Assert.Contains(again.Clusters, c => c.RecordIds.Contains(copyOf.Id) && c.RecordIds.Contains(edited[40].Id));
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(edited, NoNames, new DedupeOptions())), IncrementalOrg.Render(again.Clusters));
    }

    [Fact]
    public void A_deleted_record_leaves_its_links_and_clusters()
    {
        var org = new IncrementalOrg(23, contacts: 300);
        var first = IncrementalDeduplicator.Contacts(org.Contacts, new DedupeOptions(), null);
        var pair = first.Clusters.First(c => c.RecordIds.Count == 2);
        var gone = pair.RecordIds[1];
        var left = org.Contacts.Where(c => c.Id != gone).ToList();
        var again = IncrementalDeduplicator.Contacts(left, new DedupeOptions(), first.State);

        Assert.Null(again.FullReason);
        Assert.Equal([gone], again.Change.DeletedRecords);
        Assert.Contains(pair.SurvivorId, again.Change.RemovedClusters);
        Assert.DoesNotContain(again.Clusters, c => c.RecordIds.Contains(gone));
        Assert.DoesNotContain(again.State.Links, l => l.LeftId == gone || l.RightId == gone);
        Assert.Equal(-1, again.State.IndexOf(gone));
        Assert.Equal(IncrementalOrg.Render(Deduplicator.FindContactClusters(left, NoNames, new DedupeOptions())), IncrementalOrg.Render(again.Clusters));
    }

    [Fact]
    public void The_contact_fingerprint_changes_with_each_field_the_matcher_reads_and_no_other()
    {
        var extras = new DedupeOptions { ExtraFields = new(StringComparer.OrdinalIgnoreCase) { ["gender"] = "exact" } }.Extras();
        var c = new Contact
        {
            Id = "c1", FirstName = "Jane", LastName = "Doe", Email = "jane@acme.com", Phone = "+44 20 7946 0000", CompanyId = "co1",
            CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), OwnerId = "u1", LifecycleStage = "lead",
            Custom = CompactFields.Of([new("street", "1 High St"), new("city", "Leeds"), new("postcode", "LS1"), new("state", "WY"),
                new("birth_date", "1980-01-01"), new("gender", "f"), new("favourite_colour", "teal")]),
        };
        long Of(Contact x) => Deduplicator.ContactFingerprint(x, extras);
        Contact WithCustom(string key, string? value) =>
            c with { Custom = CompactFields.Of(c.Custom.Select(kv => kv.Key == key ? new KeyValuePair<string, string?>(key, value) : kv)) };

        Contact[] read =
        [
            c with { Id = "c2" }, c with { CreatedAt = c.CreatedAt.AddTicks(1) }, c with { FirstName = "Jan" }, c with { LastName = "Doe " },
            c with { Email = null }, c with { Email = "" }, c with { Phone = "+44 20 7946 0001" }, c with { CompanyId = "co2" },
            WithCustom("street", "2 High St"), WithCustom("city", "York"), WithCustom("postcode", "LS2"), WithCustom("state", "NY"),
            WithCustom("birth_date", "1980-01-02"), WithCustom("gender", "m"),
        ];
        var fingerprints = read.Select(Of).Prepend(Of(c)).ToList();
        Assert.Equal(fingerprints.Count, fingerprints.Distinct().Count());

        // Not read by the matcher: the same fingerprint.
        Assert.Equal(Of(c), Of(c with { OwnerId = "u2", LifecycleStage = "customer", ModifiedAt = DateTimeOffset.UnixEpoch }));
        Assert.Equal(Of(c), Of(WithCustom("favourite_colour", "red")));
        // The same contact read again (another object, other string instances): the same fingerprint.
        Assert.Equal(Of(c), Of(c with { FirstName = new string("Jane".ToCharArray()), Email = string.Concat("jane@", "acme.com") }));
    }

    [Fact]
    public void A_fingerprint_tells_null_from_empty_and_keeps_field_order_and_boundaries()
    {
        Assert.NotEqual(Fingerprint.Start.Add((string?)null).Value, Fingerprint.Start.Add("").Value);
        Assert.NotEqual(Fingerprint.Start.Add("a").Add("b").Value, Fingerprint.Start.Add("b").Add("a").Value);
        Assert.NotEqual(Fingerprint.Start.Add("ab").Add("c").Value, Fingerprint.Start.Add("a").Add("bc").Value);
        Assert.NotEqual(Fingerprint.Start.Add("x").Add("").Value, Fingerprint.Start.Add("").Add("x").Value);
        Assert.NotEqual(Fingerprint.Start.Add(1).Value, Fingerprint.Start.Add(2).Value);
        Assert.Equal(Fingerprint.Start.Add("same").Add(42).Value, Fingerprint.Start.Add("same").Add(42).Value);
    }

    private static List<string> Links(DedupeState state) =>
        state.Links.Select(l => $"{l.LeftId}~{l.RightId}={l.Score:R}").Order(StringComparer.Ordinal).ToList();

    private static List<string> Records(DedupeState state) =>
        Enumerable.Range(0, state.Count).Select(r => $"{state.Ids[r]}:{state.Fingerprints[r]}:{state.SortKeys[r]}:{string.Join(',', state.KeysOf(r).ToArray())}").ToList();
}
