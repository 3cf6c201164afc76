using CrmPulse.Storage.Tests.Postgres;
using CrmPulse.Core.Model;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests;

/// <summary>Every record kind comes back from the mirror exactly as it went in.</summary>
public abstract class RecordRoundTripTests(StoreKind kind)
{
    // Offsets other than zero, sub-millisecond ticks: stored JSON must keep both (the ledger's ms rounding is not for records).
    private static readonly DateTimeOffset Plus2 = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(2)).AddTicks(1234567);
    private static readonly DateTimeOffset Minus530 = new(2023, 12, 31, 6, 30, 0, new TimeSpan(-5, -30, 0));

    private static readonly Dictionary<string, string?> Custom = new()
    {
        ["nps_score"] = "9",
        ["unset_field"] = null,
        ["empty"] = "",
        ["Ünïcode, \"quoted\" = {json}"] = "größe \u2603 line1\nline2",
    };

    private async Task<CrmSnapshot> RoundTripAsync(Action<Core.Sources.ChangeSet> fill)
    {
        using var db = new StoreUnderTest(kind);
        using var store = await db.OpenAsync();
        await store.ApplyAsync("src", Changes(fill), T0, CancellationToken.None);
        return await store.LoadSnapshotAsync("src", CancellationToken.None);
    }

    [Fact]
    public async Task Contacts_round_trip_with_custom_fields_nulls_and_offsets()
    {
        var full = new Contact
        {
            Id = "c-1",
            OwnerId = "u1",
            CreatedAt = Plus2,
            ModifiedAt = Minus530,
            FirstName = "Zoë",
            LastName = "O'Brien",
            Email = "zoe@example.com",
            Phone = "+44 20 7946 0000",
            CompanyId = "co-1",
            LifecycleStage = "lead",
            LeadStatus = "NEW",
            Custom = Custom,
        };
        var sparse = new Contact { Id = "c-2" }; // every optional field null, default times, no custom fields

        var snapshot = await RoundTripAsync(c => c.Contacts.AddRange([sparse, full]));

        Assert.Equal(["c-1", "c-2"], snapshot.Contacts.Select(c => c.Id));
        var back = snapshot.Contacts[0];
        Assert.Equal(full, back with { Custom = full.Custom });
        AssertSameFields(full.Custom, back.Custom);
        Assert.True(back.CreatedAt.EqualsExact(Plus2));
        Assert.True(back.ModifiedAt.EqualsExact(Minus530));
        Assert.Equal("contact", back.ObjectType);
        Assert.Equal(sparse, snapshot.Contacts[1] with { Custom = sparse.Custom });
        Assert.Empty(snapshot.Contacts[1].Custom);
    }

    [Fact]
    public async Task Contacts_lead_fields_phone_verdict_and_stage_dates_round_trip()
    {
        var lead = new Contact
        {
            Id = "c-1",
            Phone = "+44 20 7946 0000",
            IsLead = true,
            ConvertedAt = Minus530,
            PhoneVerdict = new PhoneVerdict("GB", true, 4_000_000_001),
            LeadSource = "Paid Search, Ünïcode",
            StageDates = new Dictionary<string, DateTimeOffset> { ["mql"] = Plus2, ["sql"] = Minus530, ["won"] = T0 },
        };
        var judgedInvalid = new Contact { Id = "c-2", Phone = "12", PhoneVerdict = new PhoneVerdict("US", false, 0), StageDates = new Dictionary<string, DateTimeOffset>() };

        var snapshot = await RoundTripAsync(c => c.Contacts.AddRange([judgedInvalid, lead]));

        var back = snapshot.Contacts[0];
        Assert.Equal(lead with { Custom = back.Custom, StageDates = back.StageDates }, back);
        Assert.Equal(new PhoneVerdict("GB", true, 4_000_000_001), back.PhoneVerdict);
        Assert.Equal("Paid Search, Ünïcode", back.LeadSource);
        Assert.True(back.ConvertedAt!.Value.EqualsExact(Minus530));
        Assert.Equal(["mql", "sql", "won"], back.StageDates!.Keys.Order(StringComparer.Ordinal));
        Assert.True(back.StageDates["mql"].EqualsExact(Plus2));
        Assert.True(back.StageDates["sql"].EqualsExact(Minus530));
        Assert.True(back.StageDates["won"].EqualsExact(T0));
        var invalid = snapshot.Contacts[1];
        Assert.Equal(new PhoneVerdict("US", false, 0), invalid.PhoneVerdict);
        Assert.Null(invalid.LeadSource);
        Assert.False(invalid.IsLead);
        Assert.NotNull(invalid.StageDates);
        Assert.Empty(invalid.StageDates);
    }

    [Fact]
    public async Task Users_admin_flag_and_profile_round_trip_with_unknown_kept_apart_from_false()
    {
        var admin = new CrmUser("u1", "Ana", "ana@example.com", "Ops", true, false, Minus530, IsAdmin: true, Profile: "System Administrator");
        var notAdmin = new CrmUser("u2", "Bo", null, null, true, false, IsAdmin: false, Profile: "Standard User");
        var unknown = new CrmUser("u3", "Cy", null, null, false, true);

        var snapshot = await RoundTripAsync(c => c.Users.AddRange([unknown, notAdmin, admin]));

        Assert.Equal([admin, notAdmin, unknown], snapshot.Users);
        Assert.Equal([true, false, null], snapshot.Users.Select(u => u.IsAdmin));
        Assert.Equal(["System Administrator", "Standard User", null], snapshot.Users.Select(u => u.Profile));
    }

    [Fact]
    public async Task Companies_round_trip()
    {
        var company = new Company
        {
            Id = "co-1",
            OwnerId = null,
            CreatedAt = Plus2,
            ModifiedAt = Plus2,
            Name = "Ärzte & Söhne, GmbH",
            Domain = "aerzte.de",
            Industry = null,
            ParentId = "co-0",
            Custom = Custom,
        };

        var back = Assert.Single((await RoundTripAsync(c => c.Companies.Add(company))).Companies);

        Assert.Equal(company, back with { Custom = company.Custom });
        AssertSameFields(company.Custom, back.Custom);
        Assert.True(back.CreatedAt.EqualsExact(Plus2));
    }

    [Fact]
    public async Task Deals_round_trip_with_decimal_scale_and_dates()
    {
        var deal = new Deal
        {
            Id = "d-1",
            OwnerId = "u2",
            CreatedAt = Minus530,
            ModifiedAt = Plus2,
            Name = "Big one",
            Pipeline = "default",
            Stage = "closedwon",
            Amount = 1234567.8900m,
            CloseDate = new DateOnly(2024, 2, 29),
            CompanyId = "co-1",
            ContactId = "c-1",
            IsClosed = true,
            IsWon = true,
            ClosedAt = Plus2,
            LostReason = null,
            Custom = Custom,
        };
        var open = new Deal { Id = "d-2", Amount = -0.01m, CloseDate = null, ClosedAt = null };

        var deals = (await RoundTripAsync(c => c.Deals.AddRange([deal, open]))).Deals;

        Assert.Equal(deal, deals[0] with { Custom = deal.Custom });
        AssertSameFields(deal.Custom, deals[0].Custom);
        Assert.Equal("1234567.8900", deals[0].Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(deals[0].ClosedAt!.Value.EqualsExact(Plus2));
        Assert.Equal(open, deals[1] with { Custom = open.Custom });
        Assert.Equal(-0.01m, deals[1].Amount);
    }

    [Fact]
    public void A_login_stored_before_the_interactive_flag_existed_reads_as_interactive()
    {
        // A row written by an earlier version has no "interactive" member.
        var login = System.Text.Json.JsonSerializer.Deserialize(
            """{"id":"l1","userId":"u1","at":"2026-03-10T12:00:00+00:00","succeeded":true,"kind":"Application"}""", MirrorJson.Login)!;

        Assert.True(login.Interactive);
        Assert.Equal(new LoginEvent("l1", "u1", new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero), true, "Application"), login);
    }

    [Fact]
    public async Task Users_logins_and_activities_round_trip()
    {
        var user = new CrmUser("u1", "Ana Núñez", null, null, IsActive: false, IsIntegration: true, CreatedAt: Minus530);
        var noDate = new CrmUser("u2", "Bo", "bo@example.com", "Support", true, false);
        var login = new LoginEvent("l1", "u1", Plus2, Succeeded: false, Kind: "Remote Access 2.0", Interactive: false);
        var activity = new Activity("a1", ActivityType.Task, null, Plus2, Minus530, Plus2, ContactId: "c1", CompanyId: "co1",
            DealId: "d1", Direction: "outbound", DueAt: Minus530, Completed: true);
        var note = new Activity("a2", ActivityType.Note, "u1", Minus530, Minus530, Minus530);

        var snapshot = await RoundTripAsync(c =>
        {
            c.Users.AddRange([noDate, user]);
            c.Logins.Add(login);
            c.Activities.AddRange([note, activity]);
        });

        Assert.Equal([user, noDate], snapshot.Users);
        Assert.Equal([login], snapshot.Logins);
        Assert.Equal([activity, note], snapshot.Activities);
        Assert.True(snapshot.Logins[0].At.EqualsExact(Plus2));
        Assert.True(snapshot.Activities[0].DueAt!.Value.EqualsExact(Minus530));
    }

    [Fact]
    public async Task Stored_json_leaves_out_the_computed_object_type_and_names_enums_by_text()
    {
        using var db = new StoreUnderTest(kind);
        using (var store = await db.OpenAsync())
        {
            await store.ApplyAsync("src", Changes(c =>
            {
                c.Contacts.Add(Contact("c1"));
                c.Activities.Add(Activity("a1"));
            }), T0, CancellationToken.None);
        }

        var contactJson = (string)db.Scalar("SELECT data FROM mirror_records WHERE kind = 'contact'")!;
        var activityJson = (string)db.Scalar("SELECT data FROM mirror_records WHERE kind = 'activity'")!;

        Assert.DoesNotContain("objectType", contactJson, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"email\":\"c1@example.com\"", contactJson);
        Assert.Contains("\"type\":\"Call\"", activityJson);
    }

    private static void AssertSameFields(IReadOnlyDictionary<string, string?> expected, IReadOnlyDictionary<string, string?> actual) =>
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
}

public sealed class RecordRoundTripTestsOnSqlite() : RecordRoundTripTests(StoreKind.Sqlite);

public sealed class RecordRoundTripTestsOnPostgreSql() : RecordRoundTripTests(StoreKind.PostgreSql);
