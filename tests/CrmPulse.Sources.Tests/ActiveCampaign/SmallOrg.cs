namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>
/// A hand-made account whose KPI values are worked out by hand in <see cref="ActiveCampaignKpiTests"/>. As-of is the
/// harness clock, 2024-11-01 12:00 UTC.
/// </summary>
internal static class SmallOrg
{
    public static readonly DateTimeOffset AsOf = new(2024, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset LongAgo = new(2024, 1, 15, 9, 0, 0, TimeSpan.Zero);

    public static FakeActiveCampaign Load(FakeActiveCampaign s)
    {
        s.Add("users", FakeActiveCampaign.User("1", "ann", "Ann", "Admin", "ann@museum.example"));
        s.Add("users", FakeActiveCampaign.User("2", "bob", "Bob", "Seller", "bob@museum.example"));
        s.Add("users", FakeActiveCampaign.User("3", "cid", "Cid", "Idle", "cid@museum.example"));

        s.Add("dealGroups", FakeActiveCampaign.Pipeline("1", "Memberships", "1", "2"));
        s.Add("dealStages", FakeActiveCampaign.Stage("1", "To Contact", "1"));
        s.Add("dealStages", FakeActiveCampaign.Stage("2", "Proposal", "1"));

        s.Add("accounts", FakeActiveCampaign.Account("1", "Acme", "https://www.acme.example/about", LongAgo));
        s.Add("accounts", FakeActiveCampaign.Account("2", "Globex", null, LongAgo));

        s.Add("contacts", FakeActiveCampaign.Contact("1", "Alice", "Smith", "alice@acme.example", "+1 212 555 0100", LongAgo));
        s.Add("contacts", FakeActiveCampaign.Contact("2", "Bruno", "Diaz", "bruno@globex.example", null, LongAgo));
        s.Add("contacts", FakeActiveCampaign.Contact("3", "Chen", "Li", null, null, LongAgo));
        s.Add("contacts", FakeActiveCampaign.Contact("4", "Dana", "Roe", "dana(at)example", null, AsOf.AddDays(-2)));
        s.Add("contacts", FakeActiveCampaign.Contact("5", "Eve", "Stone", "eve@acme.example", null, AsOf.AddDays(-10)));

        s.Add("accountContacts", FakeActiveCampaign.AccountContact("1", "1", "1", LongAgo));
        s.Add("accountContacts", FakeActiveCampaign.AccountContact("2", "2", "2", LongAgo));
        s.Add("accountContacts", FakeActiveCampaign.AccountContact("3", "1", "5", AsOf.AddDays(-10)));

        s.Add("deals", FakeActiveCampaign.Deal("1", "Acme renewal", 1_250_000, "1", "2", "2", "1", "1", 0, LongAgo));
        s.Add("deals", FakeActiveCampaign.Deal("2", "Globex pilot", 400_000, "1", "2", "2", "2", "2", 1, LongAgo));
        s.Add("deals", FakeActiveCampaign.Deal("3", "Lost one", 99_900, "1", "1", "1", "3", null, 2, LongAgo));
        s.Add("deals", FakeActiveCampaign.Deal("4", "Orphan", 50_000, "1", "1", "1", null, null, 0, AsOf.AddDays(-3)));

        s.Add("dealTasks", FakeActiveCampaign.Task("1", "Deal", "1", "2", "2", AsOf.AddDays(-2), AsOf.AddDays(1), done: false));
        s.Add("dealTasks", FakeActiveCampaign.Task("2", "Subscriber", "3", "1", null, AsOf.AddDays(-3), AsOf.AddDays(-1), done: false));
        s.Add("dealTasks", FakeActiveCampaign.Task("3", "Deal", "2", "2", "2", AsOf.AddDays(-20), AsOf.AddDays(-19), done: true));

        s.Add("notes", FakeActiveCampaign.Note("1", "Deal", "1", "2", AsOf.AddDays(-1)));
        s.Add("notes", FakeActiveCampaign.Note("2", "Subscriber", "2", "1", AsOf.AddDays(-10)));
        return s;
    }
}
