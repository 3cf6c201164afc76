using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: stale records, contacts without activity, orphans, unowned records and records owned by
/// deactivated users, per object. Each counted record is one issue of the KPI.</summary>
/// <remarks>
/// <para>stale_records: last modified more than <see cref="DataQualityOptions.StaleAfterDays"/> days before as-of
/// (ModifiedAt &lt; asOf − days; a record modified exactly on the line is not stale yet).
/// contacts_without_activity: no activity names the contact (Activity.ContactId) with OccurredAt in the trailing
/// window (asOf − <see cref="DataQualityOptions.NoActivityDays"/>, asOf]; activities of any owner count, integration
/// users' too (a synced e-mail is contact).</para>
/// <para>orphan_records: a contact with no company; a deal with neither a contact nor a company; a company whose parent
/// id is filled but names no company of the snapshot. unowned_records: owner empty. records_owned_by_deactivated_users:
/// the owner is a known user who is deactivated (integration users that are active are owners like any other; an
/// owner id naming no known user is counted by neither).</para>
/// <para>All five are counts per object, always emitted (0 over no records); contacts_without_activity has object
/// "contact" only.</para>
/// </remarks>
public sealed class DataQualityHygieneKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("stale_records", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records of the object not modified in DataQuality:StaleAfterDays days (default 365).", ["object"], false, Day) { HasIssues = true },
        new("contacts_without_activity", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Contacts that no activity names with OccurredAt in the last DataQuality:NoActivityDays days (default 180).",
            ["object"], false, Day) { HasIssues = true },
        new("orphan_records", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Contacts with no company, deals with neither contact nor company, companies whose parent company is missing.",
            ["object"], false, Day) { HasIssues = true },
        new("unowned_records", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records of the object with no owner.", ["object"], false, Day) { HasIssues = true },
        new("records_owned_by_deactivated_users", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records of the object whose owner is a deactivated user.", ["object"], false, Day) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        foreach (var records in DataQualityRecords.ByObject(context))
        {
            var objectType = records.ObjectType;
            DataQualityRecords.AddCount(output, "stale_records", objectType, Stale(context, objectType, records));
            DataQualityRecords.AddCount(output, "orphan_records", objectType, Orphans(context, objectType, records));
            var (unowned, deactivated) = Ownership(context, objectType, records);
            DataQualityRecords.AddCount(output, "unowned_records", objectType, unowned);
            DataQualityRecords.AddCount(output, "records_owned_by_deactivated_users", objectType, deactivated);
        }
        DataQualityRecords.AddCount(output, "contacts_without_activity", "contact", WithoutActivity(context));
    }

    /// <summary>The stale records of <paramref name="objectType"/>, found once per pass (the score reads them too).</summary>
    internal static IssueBuffer Stale(KpiContext context, string objectType, RecordRows records) =>
        context.Shared("stale_records/" + objectType, () => FindStale(context, records));

    private static IssueBuffer FindStale(KpiContext context, RecordRows records)
    {
        var days = context.Options.DataQuality.StaleAfterDays;
        var line = context.AsOf.AddDays(-days).UtcTicks; // instants compare as their UTC ticks
        var issues = new IssueBuffer();
        // Many stale records share a day: one detail string per day, not one per record.
        var details = new Dictionary<DateOnly, string>();
        for (var r = 0; r < records.Count; r++)
        {
            if (records.ModifiedTicks(r) is var modified && modified < line)
            {
                var at = new DateTimeOffset(modified, TimeSpan.Zero);
                var day = DateOnly.FromDateTime(at.UtcDateTime);
                if (!details.TryGetValue(day, out var detail))
                {
                    details[day] = detail = $"last modified {DataQualityRecords.Day(at)}, more than {days} days ago";
                }
                DataQualityRecords.Add(issues, context, "stale_records", records, r, null, detail);
            }
        }
        return issues;
    }

    /// <summary>The orphans of <paramref name="objectType"/>, found once per pass (the score reads them too).</summary>
    internal static IssueBuffer Orphans(KpiContext context, string objectType, RecordRows records) =>
        context.Shared("orphan_records/" + objectType, () => FindOrphans(context, records));

    private static IssueBuffer FindOrphans(KpiContext context, RecordRows records)
    {
        var issues = new IssueBuffer();
        if (records.ObjectType == "contact")
        {
            // Contacts from their columns: an orphan has no company.
            var companyFilled = records.FilledTest("company");
            for (var r = 0; r < records.Count; r++)
            {
                if (!companyFilled(r)) DataQualityRecords.Add(issues, context, "orphan_records", records, r, "company", "no company");
            }
            return issues;
        }
        if (records.ObjectType == "deal")
        {
            // Deals from their columns: an orphan has neither contact nor company.
            var (contactFilled, companyFilled) = (records.FilledTest("contact"), records.FilledTest("company"));
            for (var r = 0; r < records.Count; r++)
            {
                if (!contactFilled(r) && !companyFilled(r)) DataQualityRecords.Add(issues, context, "orphan_records", records, r, "company", "neither contact nor company");
            }
            return issues;
        }
        // Companies from their columns: an orphan names a parent that is not among the companies. Its detail names the
        // parent: written out when read.
        var parentFilled = records.FilledTest("parent");
        var parent = records.Reader("parent");
        HashSet<string>? companyIds = null;
        for (var r = 0; r < records.Count; r++)
        {
            if (!parentFilled(r) || (companyIds ??= context.Companies.Ids.ToHashSet(StringComparer.Ordinal)).Contains(parent(r)!)) continue;
            DataQualityRecords.Add(issues, context, "orphan_records", records, r, "parent", IssueCode.ParentMissing, parent(r));
        }
        return issues;
    }

    /// <summary>The unowned records of <paramref name="objectType"/> and those owned by deactivated users, found once
    /// per pass (the score reads them too).</summary>
    internal static (IssueBuffer Unowned, IssueBuffer Deactivated) Ownership(
        KpiContext context, string objectType, RecordRows records)
    {
        var found = context.Shared("ownership/" + objectType, () => Tuple.Create(FindOwnership(context, records)));
        return found.Item1;
    }

    private static (IssueBuffer Unowned, IssueBuffer Deactivated) FindOwnership(KpiContext context, RecordRows records)
    {
        var (unowned, deactivated) = (new IssueBuffer(), new IssueBuffer());
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var record = 0; record < records.Count; record++)
        {
            var ownerId = records.Owner(record);
            if (!CrmRecord.IsFilled(ownerId))
            {
                DataQualityRecords.Add(unowned, context, "unowned_records", records, record, "owner", "no owner");
            }
            else if (context.UsersById.TryGetValue(ownerId!, out var owner) && !owner.IsActive)
            {
                // One detail string per deactivated owner, shared by all of the owner's records.
                if (!details.TryGetValue(owner.Id, out var detail)) details[owner.Id] = detail = $"owner {owner.Id} ({owner.Name}) is deactivated";
                DataQualityRecords.Add(deactivated, context, "records_owned_by_deactivated_users", records, record, "owner", detail);
            }
        }
        return (unowned, deactivated);
    }

    private static IssueBuffer WithoutActivity(KpiContext context)
    {
        var days = context.Options.DataQuality.NoActivityDays;
        // The window (asOf − days, asOf] of KpiContext.InWindow, its start computed once for 3 million activities.
        var start = context.AsOf - TimeSpan.FromDays(days);
        var asOf = context.AsOf;
        // A flag per contact position (IdIndex.Contacts: the first contact of an id; a contact whose id an earlier contact
        // also has shares that contact's flag, as the set of ids did), flagged from the activities on every core with
        // their contacts looked up once per pass.
        var contacts = RecordRows.Of(context.Contacts);
        var index = IdIndex.Contacts(context);
        var touched = new bool[contacts.Count];
        var occurred = context.Activities.Occurred.UtcTicks;
        var (contactCodes, contactOfCode) = (context.Activities.Contact.Codes, index.PositionOfCode);
        var (startTicks, asOfTicks) = (start.UtcTicks, asOf.UtcTicks); // instants compare as their UTC ticks
        // Writes of true from several threads: any order gives the same flags.
        Chunks.For(occurred.Length, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                if (occurred[i] is var at && at > startTicks && at <= asOfTicks
                    && contactCodes[i] is >= 0 and var code && contactOfCode[code] is >= 0 and var p) touched[p] = true;
            }
        });
        var detail = $"no activity in {days} days"; // the same text for every contact: one string, not a million
        var issues = new IssueBuffer();
        for (var i = 0; i < contacts.Count; i++)
        {
            if (!touched[index.FirstOf[i]]) DataQualityRecords.Add(issues, context, "contacts_without_activity", contacts, i, null, detail);
        }
        return issues;
    }
}
