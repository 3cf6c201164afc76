using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Benchmarks;

/// <summary>
/// A seeded org at benchmark scale, with the defects a real CRM has: missing and malformed e-mails and phones,
/// unowned and orphan records, deactivated owners, stale records, and planted duplicate contacts (~3 %) and companies
/// (~2 %) whose copies differ the way people mistype (a typo, swapped names, case and spaces, a nickname, another
/// phone format, a missing field). Same seed, same org.
/// </summary>
/// <param name="constantNameDensity">Last names in proportion to the org below a million contacts too
/// (<see cref="BenchNames.LastNamesFor"/>); the default keeps the 1,800 of a million contacts at every smaller size.</param>
internal sealed class OrgGenerator(int seed, double scale, bool constantNameDensity = false)
{
    public static readonly DateTimeOffset AsOf = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly Random _rng = new(seed);

    // The same 1,800 up to a million contacts, more past it (BenchNames.LastNamesFor says why).
    private readonly string[] _lastNames = BenchNames.LastNamesFor(scale, constantNameDensity);

    /// <summary>The planted contact duplicates: original id first, then its copies.</summary>
    public List<string[]> ContactTruth { get; } = [];

    public CrmSnapshot Generate()
    {
        int N(int full) => Math.Max(10, (int)(full * scale));
        var users = Users(N(2_000));
        var owners = users.Where(u => !u.IsIntegration).Select(u => u.Id).ToArray();
        var companies = Companies(N(200_000), owners);
        var contacts = Contacts(N(1_000_000), companies, owners);
        var deals = Deals(N(300_000), companies, contacts, owners);
        var activities = Activities(N(3_000_000), contacts, deals, owners);
        var logins = Logins(users);
        return new CrmSnapshot("bench", users, logins, contacts, companies, deals, activities);
    }

    /// <summary>The contacts and companies alone, exactly as <see cref="Generate"/> makes them (the same draws in the
    /// same order, stopping before the deals): what the dedupe benchmark needs, in a fraction of the time.</summary>
    public (List<Contact> Contacts, List<Company> Companies) GenerateContacts()
    {
        int N(int full) => Math.Max(10, (int)(full * scale));
        var users = Users(N(2_000));
        var owners = users.Where(u => !u.IsIntegration).Select(u => u.Id).ToArray();
        var companies = Companies(N(200_000), owners);
        return (Contacts(N(1_000_000), companies, owners), companies);
    }

    // Early entries are the common ones: the first of 160 first names is ~3.4 % of people, the first of 1,800 last
    // names ~0.7 % (1/160^(2/3) and 1/1800^(2/3)), about what James and Smith are in the US.
    private int Skewed(int n) => (int)(n * Math.Pow(_rng.NextDouble(), 1.5));

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    private bool Chance(double p) => _rng.NextDouble() < p;

    // Whole milliseconds, as HubSpot gives its instants (Salesforce gives whole seconds): no CRM hands out the 100 ns
    // ticks a TimeSpan of a random double has, and the snapshot holds an instant in as few bytes as its unit allows.
    private DateTimeOffset DaysAgo(double maxDays) => AsOf - TimeSpan.FromMilliseconds(Math.Floor(_rng.NextDouble() * maxDays * 86_400_000));

    private static string Id(string prefix, int i) => prefix + i.ToString("D7", CultureInfo.InvariantCulture);

    private List<CrmUser> Users(int n)
    {
        var users = new List<CrmUser>(n);
        for (var i = 0; i < n; i++)
        {
            var integration = i % 100 == 99;
            users.Add(new CrmUser(Id("u", i), $"User {i}", $"user{i}@bench.example", i % 50 == 7 ? null : $"Team {i % 12}",
                IsActive: i % 33 != 5, IsIntegration: integration, CreatedAt: DaysAgo(1500)));
        }
        return users;
    }

    private List<Company> Companies(int n, string[] owners)
    {
        var list = new List<Company>(n);
        var copies = (int)(n * 0.02);
        for (var i = 0; i < n - copies; i++)
        {
            var name = $"{Pick(BenchNames.CompanyWords)}{Pick(BenchNames.CompanyRoots)} {Pick(BenchNames.CompanyTails)} {i}";
            var created = DaysAgo(1500);
            list.Add(new Company
            {
                Id = Id("co", i), Name = name + Pick(BenchNames.LegalSuffixes),
                Domain = Chance(0.1) ? null : name.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() + ".example",
                Industry = Chance(0.15) ? null : Pick(BenchNames.Industries),
                OwnerId = Chance(0.04) ? null : owners[_rng.Next(owners.Length)],
                ParentId = Chance(0.03) ? Id("co", _rng.Next(n + 1000)) : null, // some parents are missing
                CreatedAt = created, ModifiedAt = Chance(0.2) ? created : DaysAgo(300),
            });
        }
        for (var k = 0; k < copies; k++)
        {
            var o = list[_rng.Next(n - copies)];
            var bare = BenchNames.LegalSuffixes.Where(x => x.Length > 0 && o.Name!.EndsWith(x, StringComparison.Ordinal))
                .Select(x => o.Name![..^x.Length]).FirstOrDefault() ?? o.Name!;
            list.Add(o with { Id = Id("co", n - copies + k), Name = k % 2 == 0 ? o.Name!.ToUpperInvariant() : bare + ", Inc.",
                ParentId = null, CreatedAt = DaysAgo(200), OwnerId = owners[_rng.Next(owners.Length)] });
        }
        return list;
    }

    private List<Contact> Contacts(int n, List<Company> companies, string[] owners)
    {
        var list = new List<Contact>(n);
        var usedEmails = new HashSet<string>(n, StringComparer.Ordinal);
        var stages = new[] { "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer" };
        var copies = (int)(n * 0.03);
        for (var i = 0; i < n - copies; i++)
        {
            var first = BenchNames.FirstNames[Skewed(BenchNames.FirstNames.Length)];
            var last = _lastNames[Skewed(_lastNames.Length)];
            var company = Chance(0.06) ? null : companies[_rng.Next(companies.Count)];
            var domain = company?.Domain is { } d && Chance(0.8) ? d : Pick(BenchNames.FreeMail);
            var local = $"{first}.{last}".ToLowerInvariant();
            var email = $"{local}@{domain}";
            for (var k = 2; !usedEmails.Add(email); k++) email = $"{local}{k}@{domain}";
            var created = DaysAgo(1500);
            list.Add(new Contact
            {
                Id = Id("c", i), FirstName = first, LastName = last,
                Email = Chance(0.08) ? null : Chance(0.02) ? (Chance(0.5) ? "n/a" : local + "@") : email,
                Phone = Chance(0.25) ? null : Phone(i, _rng.Next(4)),
                CompanyId = company?.Id, OwnerId = Chance(0.03) ? null : owners[_rng.Next(owners.Length)],
                LifecycleStage = Chance(0.1) ? null : Pick(stages), IsLead = Chance(0.2),
                CreatedAt = created, ModifiedAt = Chance(0.15) ? created : DaysAgo(300),
                // As the daemon's store reads custom fields (CompactFields).
                Custom = Chance(0.3) ? CompactFields.Of([new("city", Pick(BenchNames.Cities)), new("postcode", (10000 + i % 89999).ToString(CultureInfo.InvariantCulture))]) : Empty,
            });
        }
        for (var k = 0; k < copies; k++)
        {
            var index = _rng.Next(n - copies);
            var o = list[index];
            if (o.Email is null || !o.Email.Contains('@', StringComparison.Ordinal) || o.Email.EndsWith('@')) o = o with { Email = null };
            var copy = Mutate(o, k % 6, index) with { Id = Id("c", n - copies + k), CreatedAt = DaysAgo(300), OwnerId = owners[_rng.Next(owners.Length)] };
            list.Add(copy);
            ContactTruth.Add([o.Id, copy.Id]);
        }
        // Copies among the originals (by position; ids keep telling them apart), so that any prefix of the list (the
        // 250,000 and 500,000 runs) holds its share of duplicates.
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    private static readonly CompactFields Empty = CompactFields.Empty;

    /// <summary>A copy of a contact as someone would type it again.</summary>
    private Contact Mutate(Contact o, int kind, int index) => kind switch
    {
        0 => o with { LastName = Typo(o.LastName!), Email = o.Email?.ToUpperInvariant() },
        1 => o with { FirstName = o.LastName, LastName = o.FirstName, Phone = null },
        2 => o with { Email = o.Email is null ? null : "  " + o.Email + " ", Phone = Phone(index, 4) },
        3 => o with { FirstName = Typo(o.FirstName!), Email = null, Phone = o.Phone ?? Phone(index, 1) },
        4 => o with { FirstName = Nickname(o.FirstName!), Phone = o.Phone is null ? null : Phone(index, 2) },
        _ => o with { Email = $"{o.FirstName}{o.LastName}{index % 97}@{Pick(BenchNames.FreeMail)}".ToLowerInvariant(), Phone = Phone(index, 3) },
    };

    private string Typo(string word)
    {
        if (word.Length < 4) return word + word[^1];
        var pos = _rng.Next(1, word.Length - 1);
        return _rng.Next(3) switch
        {
            0 => word[..pos] + word[pos + 1] + word[pos] + word[(pos + 2)..],
            1 => word.Remove(pos, 1),
            _ => word.Insert(pos, word[pos].ToString()),
        };
    }

    private static string Nickname(string first) => first switch
    {
        "Robert" => "Bob", "William" => "Bill", "Richard" => "Rick", "James" => "Jim", "Michael" => "Mike",
        "Elizabeth" => "Liz", "Jennifer" => "Jen", "Thomas" => "Tom", "Joseph" => "Joe", "Christopher" => "Chris",
        "Daniel" => "Dan", "Katherine" => "Kate", "Margaret" => "Maggie", "Patricia" => "Pat", "Anthony" => "Tony",
        _ => first.ToUpperInvariant(),
    };

    /// <summary>A number unique to the contact index, in one of four formats.</summary>
    private static string Phone(int index, int format)
    {
        var digits = (2_000_000_000L + index * 7919L % 7_000_000_000L).ToString(CultureInfo.InvariantCulture);
        var (a, b, c) = (digits[..3], digits[3..6], digits[6..]);
        return format switch
        {
            0 => $"+1 {a} {b} {c}",
            1 => $"({a}) {b}-{c}",
            2 => $"+1{digits}",
            3 => $"1.{a}.{b}.{c}",
            _ => $"+1-{a}-{b}-{c}",
        };
    }

    private List<Deal> Deals(int n, List<Company> companies, List<Contact> contacts, string[] owners)
    {
        var stages = new[] { "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent" };
        var list = new List<Deal>(n);
        for (var i = 0; i < n; i++)
        {
            var created = DaysAgo(720);
            var closed = Chance(0.35);
            var won = closed && Chance(0.4);
            var closedAt = closed ? created + TimeSpan.FromDays(_rng.Next(5, 120)) : (DateTimeOffset?)null;
            list.Add(new Deal
            {
                Id = Id("d", i), Name = $"Deal {i}", Pipeline = "default",
                Stage = closed ? (won ? "closedwon" : "closedlost") : Pick(stages),
                Amount = Chance(0.05) ? null : _rng.Next(1, 500) * 100m,
                CloseDate = Chance(0.03) ? null : DateOnly.FromDateTime((closedAt ?? AsOf.AddDays(_rng.Next(-60, 120))).UtcDateTime),
                CompanyId = Chance(0.04) ? null : companies[_rng.Next(companies.Count)].Id,
                ContactId = Chance(0.1) ? null : contacts[_rng.Next(contacts.Count)].Id,
                OwnerId = Chance(0.02) ? null : owners[_rng.Next(owners.Length)],
                IsClosed = closed, IsWon = won, ClosedAt = closedAt,
                LostReason = closed && !won && Chance(0.6) ? "price" : null,
                StageEnteredAt = created + TimeSpan.FromDays(_rng.Next(0, 30)),
                CreatedAt = created, ModifiedAt = closedAt ?? DaysAgo(90),
            });
        }
        return list;
    }

    // As columns, as the daemon's store loads them (ActivityColumns): each record is added and let go.
    private ActivityColumns Activities(int n, List<Contact> contacts, List<Deal> deals, string[] owners)
    {
        var types = new[] { ActivityType.Call, ActivityType.Call, ActivityType.Email, ActivityType.Email, ActivityType.Email, ActivityType.Meeting, ActivityType.Task, ActivityType.Note };
        var list = new ActivityColumns.Builder(n);
        for (var i = 0; i < n; i++)
        {
            var type = Pick(types);
            var at = DaysAgo(180);
            list.Add(new Activity(Id("a", i), type, Chance(0.01) ? null : owners[Skewed(owners.Length)], at, at, at,
                ContactId: contacts[_rng.Next(contacts.Count)].Id, DealId: Chance(0.3) ? deals[_rng.Next(deals.Count)].Id : null,
                Direction: type is ActivityType.Call or ActivityType.Email ? (Chance(0.7) ? "outbound" : "inbound") : null,
                DueAt: type == ActivityType.Task && Chance(0.9) ? at + TimeSpan.FromDays(_rng.Next(1, 14)) : null,
                Completed: type == ActivityType.Task && Chance(0.6)));
        }
        return list.Build();
    }

    private List<LoginEvent> Logins(List<CrmUser> users)
    {
        var list = new List<LoginEvent>();
        foreach (var u in users.Where(u => u.IsActive && !u.IsIntegration))
        {
            var perDay = _rng.NextDouble(); // some never log in, most most days
            for (var day = 0; day < 90; day++)
            {
                if (Chance(perDay)) list.Add(new LoginEvent($"l{list.Count}", u.Id, AsOf - TimeSpan.FromDays(day + _rng.NextDouble()), Chance(0.97)));
            }
        }
        return list;
    }
}
