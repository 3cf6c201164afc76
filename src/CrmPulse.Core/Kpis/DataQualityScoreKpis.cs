using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: one overall score 0–100 for the source, a weighted mean of six components.</summary>
/// <remarks>
/// <para>Each component is a share in 0..1 over all contacts, companies and deals ("records"):</para>
/// <list type="bullet">
/// <item>completeness (weight 30): filled required fields ÷ required fields, over every record and its object's
/// required fields (the cell-weighted completeness_score of all objects together);</item>
/// <item>validity (20): 1 − (invalid_emails + invalid_phones) ÷ (contacts with an e-mail + contacts with a phone);</item>
/// <item>uniqueness (15): 1 − removable duplicates ÷ (contacts + companies), removable duplicates being every member
/// of a duplicate cluster (<see cref="KpiContext.ContactClusters"/>, <see cref="KpiContext.CompanyClusters"/>) but its
/// survivor;</item>
/// <item>freshness (15): 1 − stale_records ÷ records;</item>
/// <item>ownership (10): 1 − (unowned_records + records_owned_by_deactivated_users) ÷ records;</item>
/// <item>consistency (10): 1 − records with an orphan_records or inconsistent_picklist_values issue (each counted
/// once) ÷ records.</item>
/// </list>
/// <para>score = 100 × Σ(weight × component) ÷ Σ(weight) over the components whose denominator is not zero (a
/// component over nothing is left out, not scored 0 or 1). No records at all: no sample.</para>
/// </remarks>
public sealed class DataQualityScoreKpis : IKpiFamily
{
    /// <summary>The components' weights, in the order of the remarks (they sum to 100).</summary>
    public static readonly IReadOnlyDictionary<string, double> Weights = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["completeness"] = 30, ["validity"] = 20, ["uniqueness"] = 15, ["freshness"] = 15, ["ownership"] = 10, ["consistency"] = 10,
    };

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("data_quality_score", KpiFamily.DataQuality, "score", KpiDirection.HigherIsBetter,
            "Weighted mean ×100 of completeness 30, validity 20, uniqueness 15, freshness 15, ownership 10, consistency 10 (README).",
            [], false, TimeSpan.FromDays(1)),
        new("data_quality_component", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "One component of data_quality_score (dimension component: completeness, validity, uniqueness, freshness, ownership, consistency), "
            + "the share 0..1 it adds with its weight; a component over nothing has no sample.",
            ["component"], false, TimeSpan.FromDays(1)),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var components = Components(context);
        if (components.Count == 0) return;
        output.Add("data_quality_score", Score(components));
        // The components too, so the console and the report show what moved the score (same numbers, no second pass).
        foreach (var name in Weights.Keys.Where(components.ContainsKey))
            output.Add("data_quality_component", components[name], Dimensions.Of(("component", name)));
    }

    /// <summary>The score, or null when there are no records.</summary>
    internal static double? Score(KpiContext context)
    {
        var components = Components(context);
        return components.Count == 0 ? null : Score(components);
    }

    private static double Score(Dictionary<string, double> components) =>
        100 * components.Sum(c => Weights[c.Key] * c.Value) / components.Sum(c => Weights[c.Key]);

    /// <summary>The components that have a denominator, by name.</summary>
    internal static Dictionary<string, double> Components(KpiContext context)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var snapshot = context.Snapshot;
        var all = DataQualityRecords.ByObject(context).ToList();
        long records = all.Sum(o => o.Count);

        long cells = 0, filled = 0;
        foreach (var list in all)
        {
            var objectType = list.ObjectType;
            // The other data-quality families found all of this already in this pass: read their shared results.
            cells += (long)DataQualityKpis.RequiredFields(context, objectType).Length * list.Count;
            filled += DataQualityKpis.Required(context, objectType, list).Filled;
        }
        Share(result, "completeness", filled, cells);

        var validity = DataQualityValidityKpis.Find(context);
        Share(result, "validity", validity.FilledEmails + validity.FilledPhones - validity.InvalidEmails.Count - validity.InvalidPhones.Count,
            validity.FilledEmails + validity.FilledPhones);

        long people = snapshot.Contacts.Count + snapshot.Companies.Count;
        if (people > 0)
        {
            var removable = context.ContactClusters.Sum(c => c.RecordIds.Count - 1) + context.CompanyClusters.Sum(c => c.RecordIds.Count - 1);
            Share(result, "uniqueness", people - removable, people);
        }

        long stale = 0, badOwner = 0;
        var inconsistent = new HashSet<(string, string)>();
        foreach (var list in all)
        {
            var objectType = list.ObjectType;
            stale += DataQualityHygieneKpis.Stale(context, objectType, list).Count;
            var (unowned, deactivated) = DataQualityHygieneKpis.Ownership(context, objectType, list);
            badOwner += unowned.Count + deactivated.Count;
            // Read as rows (values), not as issues: no object per issue for a set that keeps two of its strings.
            var consistencyIssues = DataQualityHygieneKpis.Orphans(context, objectType, list).Rows().Concat(context.Options.DataQuality
                .PicklistFieldsFor(objectType).Distinct(StringComparer.Ordinal)
                .SelectMany(f => DataQualityPicklistKpis.Inconsistent(context, objectType, list, f).Rows()));
            foreach (var issue in consistencyIssues) inconsistent.Add((issue.Object, issue.RecordId));
        }
        Share(result, "freshness", records - stale, records);
        Share(result, "ownership", records - badOwner, records);
        Share(result, "consistency", records - inconsistent.Count, records);
        return result;
    }

    private static void Share(Dictionary<string, double> result, string name, long good, long total)
    {
        if (total > 0) result[name] = Math.Max(0, (double)good / total);
    }
}
