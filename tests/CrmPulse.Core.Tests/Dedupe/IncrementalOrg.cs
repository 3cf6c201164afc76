using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Tests.Dedupe;

/// <summary>
/// A seeded org of contacts and companies with planted duplicates (typos, another e-mail, a missing phone, swapped names),
/// shared switchboard phones and common names (large blocks), and seeded change sets: adds (some duplicates of existing
/// records), edits of fields the matcher reads, deletes. The incremental matcher's tests and the store's share it.
/// </summary>
public sealed class IncrementalOrg
{
    private static readonly string[] Firsts =
    [
        "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth", "david", "barbara",
        "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen", "anna", "omar", "li", "sofia",
    ];

    private static readonly string[] Lasts =
    [
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez",
        "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
        "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
    ];

    private static readonly string[] Cities = ["springfield", "riverton", "lakeside", "hillview", "fairfax"];

    private readonly Random _random;
    private int _next;

    public IncrementalOrg(int seed, int contacts, int companies = 0)
    {
        _random = new Random(seed);
        for (var k = 0; k < companies; k++) Companies.Add(NewCompany());
        for (var k = 0; k < contacts; k++) Contacts.Add(_random.NextDouble() < 0.2 && Contacts.Count > 0 ? DuplicateOf(Pick(Contacts)) : NewContact());
        Sort();
    }

    public List<Contact> Contacts { get; } = [];

    public List<Company> Companies { get; } = [];

    private T Pick<T>(IReadOnlyList<T> list) => list[_random.Next(list.Count)];

    private string NewId(string prefix) => $"{prefix}{_random.Next(1_000_000):D6}-{_next++}";

    private DateTimeOffset Created() => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(_random.Next(20_000));

    private Contact NewContact()
    {
        var first = Pick(Firsts);
        var last = Pick(Lasts);
        // One in five shares a switchboard number (a block of dozens), the others have their own.
        var phone = _random.NextDouble() < 0.2 ? $"+1 555 010 {_random.Next(3):D4}" : $"+1 415 {_random.Next(1_000_000):D7}";
        var custom = new Dictionary<string, string?>();
        if (_random.NextDouble() < 0.7)
        {
            custom["street"] = $"{_random.Next(1, 40)} {Pick(Lasts)} street";
            custom["city"] = Pick(Cities);
            custom["postcode"] = $"{_random.Next(10, 14)}";
        }
        // Year-only and full birth dates: the year-only ones make large "h" blocks.
        if (_random.NextDouble() < 0.5) custom["birth_date"] = _random.NextDouble() < 0.5 ? $"{1960 + _random.Next(5)}-01-01" : $"19{_random.Next(60, 99)}-0{_random.Next(1, 9)}-1{_random.Next(9)}";
        return new Contact
        {
            Id = NewId("c"), CreatedAt = Created(), FirstName = first, LastName = last,
            Email = _random.NextDouble() < 0.8 ? $"{first}.{last}{_random.Next(100)}@{Pick(Cities)}.com" : null,
            Phone = _random.NextDouble() < 0.8 ? phone : null,
            CompanyId = Companies.Count > 0 && _random.NextDouble() < 0.6 ? Pick(Companies).Id : _random.NextDouble() < 0.5 ? $"co{_random.Next(8)}" : null,
            Custom = custom,
        };
    }

    private Contact DuplicateOf(Contact c)
    {
        var first = c.FirstName;
        var last = c.LastName;
        switch (_random.Next(4))
        {
            case 0: last = last is { Length: > 3 } ? last[..^1] + "e" : last; break; // a typo
            case 1: (first, last) = (last, first); break;
            case 2: first = first?.ToUpperInvariant(); break;
        }
        return c with
        {
            Id = NewId("c"), CreatedAt = Created(), FirstName = first, LastName = last,
            Email = _random.NextDouble() < 0.5 ? c.Email : c.Email?.ToUpperInvariant(),
            Phone = _random.NextDouble() < 0.7 ? c.Phone : null,
        };
    }

    private Company NewCompany()
    {
        var name = $"{Pick(Lasts)} {Pick(["ltd", "inc", "gmbh", "group"])}";
        var custom = new Dictionary<string, string?> { ["city"] = Pick(Cities) };
        if (_random.NextDouble() < 0.5) custom["phone"] = $"+1 212 {_random.Next(30):D7}";
        var company = new Company
        {
            Id = NewId("co"), CreatedAt = Created(), Name = name,
            Domain = _random.NextDouble() < 0.6 ? $"{name.Replace(' ', '-')}{_random.Next(3)}.com" : null, Custom = custom,
        };
        // A planted duplicate: the same organisation typed again.
        return Companies.Count > 0 && _random.NextDouble() < 0.2 ? Pick(Companies) with { Id = NewId("co"), CreatedAt = Created() } : company;
    }

    /// <summary>Applies a random change set touching about <paramref name="share"/> of the records: a third added (half of
    /// them duplicates of existing records), a third edited in a field the matcher reads, a third deleted.</summary>
    public void Change(double share)
    {
        var count = Math.Max(3, (int)Math.Round(Contacts.Count * share));
        for (var k = 0; k < count; k++)
        {
            var what = _random.Next(3);
            if (what == 0 || Contacts.Count < 10) Contacts.Add(_random.NextDouble() < 0.5 ? DuplicateOf(Pick(Contacts)) : NewContact());
            else if (what == 1) Contacts.RemoveAt(_random.Next(Contacts.Count));
            else
            {
                var at = _random.Next(Contacts.Count);
                var c = Contacts[at];
                Contacts[at] = _random.Next(6) switch
                {
                    0 => c with { FirstName = Pick(Firsts) },
                    1 => c with { LastName = Pick(Lasts) },
                    2 => c with { Email = _random.NextDouble() < 0.3 ? null : $"{c.FirstName}.{Pick(Lasts)}@{Pick(Cities)}.com" },
                    3 => c with { Phone = _random.NextDouble() < 0.5 ? $"+1 555 010 {_random.Next(3):D4}" : null },
                    4 => c with { CreatedAt = Created() },
                    _ => c with { Custom = new Dictionary<string, string?>(c.Custom) { ["birth_date"] = $"{1960 + _random.Next(5)}-01-01" } },
                };
            }
        }
        if (Companies.Count > 0)
        {
            for (var k = 0; k < Math.Max(1, (int)(Companies.Count * share)); k++)
            {
                var what = _random.Next(3);
                if (what == 0) Companies.Add(NewCompany());
                else if (what == 1 && Companies.Count > 5) Companies.RemoveAt(_random.Next(Companies.Count));
                else
                {
                    var at = _random.Next(Companies.Count);
                    Companies[at] = Companies[at] with { Name = Companies[at].Name + (_random.NextDouble() < 0.5 ? "" : " x") , Domain = _random.NextDouble() < 0.5 ? Companies[at].Domain : null };
                }
            }
        }
        Sort();
    }

    /// <summary>In ordinal id order, as the mirror loads them.</summary>
    private void Sort()
    {
        Contacts.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        Companies.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
    }

    /// <summary>The clusters as one text each: ids in order, then each duplicate's reason.</summary>
    public static List<string> Render(IEnumerable<DuplicateCluster> clusters) =>
        clusters.Select(c => string.Join(",", c.RecordIds) + " | " + string.Join(";", c.Duplicates.Select(id => $"{id}={c.ReasonFor(id)}"))).ToList();
}
