using CrmPulse.Core.Model;
using CrmPulse.Core.Reconciliation;

namespace CrmPulse.Core.Tests.Reconciliation;

/// <summary>
/// A legacy CRM's export ("old") and the new CRM ("new") that differ in planted ways, written out by hand:
/// <list type="bullet">
/// <item>missing: contact C3, companies A3 and A4, deals D3 and D4;</item>
/// <item>extra: contact 207, company 103;</item>
/// <item>lost associations: C4's company (204 has none), D5's contact (305 names 201, not 204), D2's company (302 has none);</item>
/// <item>emptied properties: C2's phone (202), A2's industry (102), D2's amount (302);</item>
/// <item>after the cut-over (2026-03-01): A4 created, D4 created, C5 changed.</item>
/// </list>
/// Everything else agrees, through the normalizations the keys apply (e-mail case and spaces, "https://www.acme.com/").
/// </summary>
internal static class MigrationFixture
{
    public static readonly DateTimeOffset AsOf = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset CutOver = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Before = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Edited = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    public static ReconciliationPair Pair(DateTimeOffset? cutOver = null) => new("migration", "legacy", "hubspot", cutOver ?? CutOver,
        new Dictionary<string, ObjectMatch>
        {
            ["contact"] = new([MatchKey.Email], null, [new("email", "email"), new("phone", "phone"), new("lifecycle_stage", "lifecycle_stage")]),
            ["company"] = new([MatchKey.Domain], null, [new("name", "name"), new("industry", "industry")]),
            ["deal"] = new([MatchKey.ExternalId], "legacy_id", [new("name", "name"), new("amount", "amount")]),
        });

    public static CrmSnapshot Old() => new("legacy",
        [new CrmUser("u1", "Una", "una@example.com", "east", true, false)], [],
        [
            Contact("C1", "ann@acme.com", "+1 555 0101", "customer", "A1"),
            Contact("C2", "bob@globex.com", "555-0102", "lead", "A2"),
            Contact("C3", "cid@initech.io", null, "lead", "A3"),
            Contact("C4", "dee@acme.com", null, null, "A1"),
            Contact("C5", "eve@globex.com", "555-0105", "customer", "A2", modified: new DateTimeOffset(2026, 3, 4, 9, 30, 0, TimeSpan.Zero)),
            Contact("C6", "FAY@Acme.com", null, null, null),
        ],
        [
            Company("A1", "Acme", "acme.com", "Manufacturing"),
            Company("A2", "Globex", "globex.com", "Energy"),
            Company("A3", "Initech", "initech.io", "Software"),
            Company("A4", "Umbrella", "umbrella.com", null, created: new DateTimeOffset(2026, 3, 5, 14, 0, 0, TimeSpan.Zero)),
        ],
        [
            Deal("D1", "Acme renewal", 1000, "C1", "A1"),
            Deal("D2", "Globex expansion", 5000, "C2", "A2"),
            Deal("D3", "Initech pilot", 800, "C3", "A3"),
            Deal("D4", "Acme add-on", 250, "C1", "A1", created: new DateTimeOffset(2026, 3, 6, 10, 0, 0, TimeSpan.Zero)),
            Deal("D5", "Acme services", 300, "C4", "A1"),
        ], []);

    public static CrmSnapshot New() => new("hubspot",
        [new CrmUser("h1", "Una", "una@example.com", "east", true, false)], [],
        [
            Contact("201", "ann@acme.com", "+1 555 0101", "customer", "101", owner: "h1"),
            Contact("202", "bob@globex.com", null, "lead", "102", owner: "h1"),
            Contact("204", "dee@acme.com", null, "subscriber", null, owner: "h1"),
            Contact("205", " Eve@Globex.com ", "555-0105", "customer", "102", owner: "h1"),
            Contact("206", "fay@acme.com", null, null, "101", owner: "h1"),
            Contact("207", "zed@hooli.com", null, null, "103", owner: "h1"),
        ],
        [
            Company("101", "Acme Inc", "https://www.acme.com/", "Manufacturing", owner: "h1"),
            Company("102", "Globex", "globex.com", " ", owner: "h1"),
            Company("103", "Hooli", "hooli.com", null, owner: "h1"),
        ],
        [
            Deal("301", "Acme renewal", 1000, "201", "101", legacyId: "D1", owner: "h1"),
            Deal("302", "Globex expansion", null, "202", null, legacyId: "D2", owner: "h1"),
            Deal("305", "Acme services", 300, "201", "101", legacyId: "D5", owner: "h1"),
        ], []);

    public static Contact Contact(string id, string? email, string? phone, string? stage, string? company, string owner = "u1",
        DateTimeOffset? modified = null, string? first = null, string? last = null) => new()
    {
        Id = id, Email = email, Phone = phone, LifecycleStage = stage, CompanyId = company, OwnerId = owner,
        FirstName = first ?? "First" + id, LastName = last ?? "Last" + id, CreatedAt = Before, ModifiedAt = modified ?? Edited,
    };

    public static Company Company(string id, string name, string? domain, string? industry, string owner = "u1", DateTimeOffset? created = null) => new()
    {
        Id = id, Name = name, Domain = domain, Industry = industry, OwnerId = owner, CreatedAt = created ?? Before, ModifiedAt = created ?? Edited,
    };

    public static Deal Deal(string id, string name, decimal? amount, string? contact, string? company, string? legacyId = null,
        string owner = "u1", DateTimeOffset? created = null) => new()
    {
        Id = id, Name = name, Amount = amount, ContactId = contact, CompanyId = company, OwnerId = owner,
        CreatedAt = created ?? Before, ModifiedAt = created ?? Edited,
        Custom = legacyId is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["legacy_id"] = legacyId },
    };
}
