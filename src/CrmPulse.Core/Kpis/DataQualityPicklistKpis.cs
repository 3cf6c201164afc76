using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: picklist values spelled more than one way ("Software", "software", "SOFTWARE ").</summary>
/// <remarks>
/// For each object and each of its <see cref="DataQualityOptions.PicklistFieldsFor"/> fields, the filled values are
/// grouped by their normal form: lower-cased (invariant), with white space, '_' and '-' removed. A group with two or
/// more distinct spellings (compared ordinally, so "SOFTWARE " with its trailing space is a spelling of its own) is
/// inconsistent; its dominant spelling is the one most records carry (a tie goes to the ordinally smallest).
/// inconsistent_picklist_values counts the records carrying a non-dominant spelling, the ones to fix, and each of
/// them is one issue (Field: the field; Detail: its spelling and the dominant one). Emitted for every configured
/// field, 0 when consistent or when the object has no records.
/// </remarks>
public sealed class DataQualityPicklistKpis : IKpiFamily
{
    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("inconsistent_picklist_values", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records whose picklist value is a minority spelling of a value spelled several ways (case, spaces, '_', '-').",
            ["object", "field"], false, TimeSpan.FromDays(1)) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        foreach (var records in DataQualityRecords.ByObject(context))
        {
            var objectType = records.ObjectType;
            foreach (var field in context.Options.DataQuality.PicklistFieldsFor(objectType).Distinct(StringComparer.Ordinal))
            {
                var issues = Inconsistent(context, objectType, records, field);
                output.Add("inconsistent_picklist_values", issues.Count, Dimensions.Of(("object", objectType), ("field", field)));
                output.AddIssues(issues);
            }
        }
    }

    /// <summary>The same value written with different case, spaces, underscores or hyphens has one normal form.</summary>
    public static string Normalize(string value) =>
        new(value.ToLowerInvariant().Where(c => !char.IsWhiteSpace(c) && c is not ('_' or '-')).ToArray());

    /// <summary>The issues of one object's field, found once per pass (the score reads them too).</summary>
    internal static IssueBuffer Inconsistent(KpiContext context, string objectType, RecordRows records, string field) =>
        context.Shared("inconsistent_picklist_values/" + objectType + "/" + field, () => FindInconsistent(context, records, field));

    private static IssueBuffer FindInconsistent(KpiContext context, RecordRows records, string field)
    {
        // First pass: records per spelling (a count, not a list), in the order of first appearance. A picklist has few
        // distinct values over a million records, so they are grouped by normal form afterwards, each normalized once.
        var read = records.Reader(field);
        var bySpelling = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var record = 0; record < records.Count; record++)
        {
            var value = read(record);
            if (!CrmRecord.IsFilled(value)) continue;
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(bySpelling, value!, out _)++;
        }
        // Normal form → spelling → count; both in order of first appearance, as if grouped record by record.
        var groups = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (value, count) in bySpelling)
        {
            var key = Normalize(value);
            if (!groups.TryGetValue(key, out var spellings)) groups[key] = spellings = new(StringComparer.Ordinal);
            spellings[value] = count;
        }
        // The spellings to fix (every one but the dominant of a group spelled several ways), with the detail they share.
        var minority = new Dictionary<string, (string Detail, List<int> Carriers)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var spellings in groups.Values.Where(g => g.Count > 1))
        {
            var dominant = spellings.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key;
            foreach (var spelling in spellings.Keys.Where(s => s != dominant))
            {
                var detail = $"{field} {DataQualityRecords.Quote(spelling)} is spelled {DataQualityRecords.Quote(dominant)} on most records";
                minority[spelling] = (detail, []);
                order.Add(spelling);
            }
        }
        // Consistent (the usual case): no second pass, no list of records.
        if (order.Count == 0) return new IssueBuffer();
        for (var record = 0; record < records.Count; record++)
        {
            if (read(record) is { } value && minority.TryGetValue(value, out var m)) m.Carriers.Add(record);
        }
        var issues = new IssueBuffer();
        foreach (var spelling in order)
        {
            var (detail, carriers) = minority[spelling];
            foreach (var r in carriers) DataQualityRecords.Add(issues, context, "inconsistent_picklist_values", records, r, field, detail);
        }
        return issues;
    }
}
