using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: unused custom fields and segmentation coverage, per object.</summary>
/// <remarks>
/// <para>unused_custom_fields counts the object's <see cref="KpiOptions.CustomFieldsFor"/> whose fill rate is below
/// <see cref="DataQualityOptions.UnusedBelow"/> (strictly); which fields they are is in their field_fill_rate samples.
/// It has no record issues: the defect is the field, not a record. It is emitted for objects with at least one custom
/// field and one record (a fill rate over no records is not a number).</para>
/// <para>segmentation_coverage is the share of the object's records whose segmentation fields
/// (<see cref="DataQualityOptions.SegmentationFieldsFor"/>) are all filled; unsegmented_records counts the others,
/// one issue per record (Field: the empty segmentation fields, comma-separated). Objects without segmentation fields
/// get neither; the count is 0 over no records, the ratio is then left out.</para>
/// </remarks>
public sealed class DataQualityCoverageKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("unused_custom_fields", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Custom fields of the object filled in fewer than DataQuality:UnusedBelow of its records (default 1 %).",
            ["object"], false, Day),
        new("segmentation_coverage", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of the object's records with every segmentation field (DataQuality:SegmentationFields) filled.",
            ["object"], false, Day),
        new("unsegmented_records", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records of the object with at least one segmentation field empty; one issue per record.",
            ["object"], false, Day) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        foreach (var records in DataQualityRecords.ByObject(context))
        {
            var objectType = records.ObjectType;
            var dims = Dimensions.Of(("object", objectType));
            var custom = context.Options.CustomFieldsFor(objectType).Distinct(StringComparer.Ordinal).ToList();
            if (custom.Count > 0 && records.Count > 0)
            {
                var unused = custom.Count(f => DataQualityKpis.FillRate(records, f) < context.Options.DataQuality.UnusedBelow);
                output.Add("unused_custom_fields", unused, dims);
            }

            var segmentation = context.Options.DataQuality.SegmentationFieldsFor(objectType).Distinct(StringComparer.Ordinal).ToList();
            if (segmentation.Count == 0) continue;
            var issues = Unsegmented(context, records, segmentation);
            DataQualityRecords.AddCount(output, "unsegmented_records", objectType, issues);
            if (records.Count > 0) output.Add("segmentation_coverage", (double)(records.Count - issues.Count) / records.Count, dims);
        }
    }

    private static IssueBuffer Unsegmented(KpiContext context, RecordRows records, List<string> fields)
    {
        var issues = new IssueBuffer();
        var filled = fields.Select(records.FilledTest).ToArray();
        // The empty fields' names and the detail, one pair of strings per distinct set of empty fields shared by its
        // records (a few sets over a million records), found again without making a string: a record's names are
        // written into a buffer and looked up by span.
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var byNames = texts.GetAlternateLookup<ReadOnlySpan<char>>();
        var buffer = new char[fields.Sum(f => f.Length + 1)];
        for (var record = 0; record < records.Count; record++)
        {
            var (length, empty) = (0, false);
            for (var i = 0; i < fields.Count; i++)
            {
                if (filled[i](record)) continue;
                if (empty) buffer[length++] = ',';
                empty = true;
                fields[i].CopyTo(buffer.AsSpan(length));
                length += fields[i].Length;
            }
            if (!empty) continue;
            if (!byNames.TryGetValue(buffer.AsSpan(0, length), out var names, out var detail))
            {
                names = new string(buffer, 0, length);
                texts[names] = detail = $"segmentation field {names} empty";
            }
            DataQualityRecords.Add(issues, context, "unsegmented_records", records, record, names, detail);
        }
        return issues;
    }
}
