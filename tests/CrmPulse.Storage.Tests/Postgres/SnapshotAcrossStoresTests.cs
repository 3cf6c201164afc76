using System.Text.Json;
using CrmPulse.Core.Model;
using static CrmPulse.Storage.Tests.Fixtures;

namespace CrmPulse.Storage.Tests.Postgres;

/// <summary>
/// The same mirror read from PostgreSQL and from SQLite gives the same snapshot, record for record and in the same
/// order, with repeated ids and values shared as one string each on both (PostgreSQL reads its rows asynchronously,
/// SQLite synchronously: the string pool must hold across the awaits).
/// </summary>
public sealed class SnapshotAcrossStoresTests
{
    private static readonly string[] Stages = ["lead", "mql", "sql", "customer"];

    /// <summary>More records than a column builder's first capacity and than one network buffer holds, given out of id
    /// order, with custom fields, nulls and the records of each kind pointing at one another.</summary>
    private static Core.Sources.ChangeSet Org() => Changes(c =>
    {
        for (var u = 9; u >= 0; u--) c.Users.Add(User($"u{u}", u % 2 == 0 ? "Sales" : null));
        for (var i = 2999; i >= 0; i--)
        {
            c.Contacts.Add(new Contact
            {
                Id = $"c{i:D5}",
                OwnerId = i % 7 == 0 ? null : $"u{i % 10}",
                CreatedAt = T0.AddMinutes(-i),
                ModifiedAt = T0.AddMinutes(i).ToOffset(TimeSpan.FromHours(i % 3)),
                FirstName = $"Zoë {i}",
                Email = i % 5 == 0 ? null : $"c{i}@example.com",
                CompanyId = $"co{i % 400:D3}",
                LifecycleStage = Stages[i % Stages.Length],
                Custom = new Dictionary<string, string?> { ["nps"] = (i % 11).ToString(), ["note"] = i % 2 == 0 ? null : "größe \"x\"" },
            });
        }
        for (var i = 0; i < 400; i++) c.Companies.Add(Company($"co{i:D3}") with { OwnerId = $"u{i % 10}", Industry = i % 3 == 0 ? "Retail" : null });
        for (var i = 0; i < 1200; i++) c.Deals.Add(Deal($"d{i:D4}") with { CompanyId = $"co{i % 400:D3}", Stage = Stages[i % 4], Amount = i * 1.25m });
        for (var i = 2499; i >= 0; i--)
        {
            c.Activities.Add(new Activity($"a{i:D5}", (ActivityType)(i % 3), $"u{i % 10}", T0.AddHours(-i), T0, T0.AddHours(1),
                ContactId: $"c{i % 3000:D5}", DealId: i % 2 == 0 ? $"d{i % 1200:D4}" : null));
        }
        c.Logins.Add(Login("l1", "u3"));
    });

    [Fact]
    public async Task PostgreSql_reads_the_same_snapshot_as_SQLite_with_strings_shared()
    {
        var snapshots = new List<CrmSnapshot>();
        foreach (var kind in new[] { StoreKind.Sqlite, StoreKind.PostgreSql })
        {
            using var db = new StoreUnderTest(kind);
            using var store = await db.OpenAsync();
            await store.ApplyAsync("src", Org(), T0, CancellationToken.None);
            snapshots.Add(await store.LoadSnapshotAsync("src", CancellationToken.None));
        }
        var (sqlite, postgres) = (snapshots[0], snapshots[1]);

        Assert.Equal(3000, postgres.Contacts.Count);
        Assert.Equal(2500, postgres.Activities.Count);
        Assert.Equal(Json(sqlite.Users, MirrorJson.User), Json(postgres.Users, MirrorJson.User));
        Assert.Equal(Json(sqlite.Logins, MirrorJson.Login), Json(postgres.Logins, MirrorJson.Login));
        Assert.Equal(Json(sqlite.Contacts, MirrorJson.Contact), Json(postgres.Contacts, MirrorJson.Contact));
        Assert.Equal(Json(sqlite.Companies, MirrorJson.Company), Json(postgres.Companies, MirrorJson.Company));
        Assert.Equal(Json(sqlite.Deals, MirrorJson.Deal), Json(postgres.Deals, MirrorJson.Deal));
        Assert.Equal(Json(sqlite.Activities, MirrorJson.Activity), Json(postgres.Activities, MirrorJson.Activity));
        // The offsets too (JSON keeps them; a DateTimeOffset's equality would not).
        Assert.Equal(TimeSpan.FromHours(2), postgres.Contacts[2].ModifiedAt.Offset);

        foreach (var snapshot in snapshots)
        {
            Assert.IsAssignableFrom<ContactColumns>(snapshot.Contacts);
            Assert.IsAssignableFrom<ActivityColumns>(snapshot.Activities);
            // One string per repeated value, across records and kinds, however many rows lay between them.
            Assert.Same(snapshot.Contacts[1].OwnerId, snapshot.Contacts[2991].OwnerId);
            Assert.Same(snapshot.Contacts[0].LifecycleStage, snapshot.Contacts[2996].LifecycleStage);
            Assert.Same(snapshot.Deals[5].CompanyId, snapshot.Contacts[5].CompanyId);
            Assert.Same(snapshot.Activities[2499].ContactId, snapshot.Contacts[2499].Id);
        }
    }

    private static List<string> Json<T>(IReadOnlyList<T> records, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        records.Select(r => JsonSerializer.Serialize(r, info)).ToList();
}
