using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: fill rates of the monitored and custom fields of each object, completeness, and the records
/// missing a required field (drill-down).</summary>
/// <remarks>
/// <para>For each object (contact, company, deal) the monitored (required) fields are <see cref="KpiOptions.FieldsFor"/>
/// (standard fields by name, custom ones through <see cref="CrmRecord.Custom"/>; a name listed twice counts once) and
/// the records are all of that kind in the snapshot. field_fill_rate also covers the object's
/// <see cref="KpiOptions.CustomFieldsFor"/>; completeness and missing_required_field look at the required fields
/// only (an empty optional custom field is not a defect of the record). These KPIs read the mirror as it is now: they
/// are not rebuildable, so as-of does not filter records.</para>
/// <para>records is always emitted, and missing_required_field for every required field (0 over no records). An
/// object with no records gets no ratio samples (a ratio over nothing is not a number, and 0 or 1 would both be
/// invented); an object with no monitored fields gets no fill or completeness samples.</para>
/// </remarks>
public sealed class DataQualityKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("field_fill_rate", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of records of the object whose field (required or custom) is filled (not null, not empty, not only white space).",
            ["object", "field"], false, Day),
        new("completeness_score", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Mean over the object's records of (monitored fields filled ÷ monitored fields).", ["object"], false, Day),
        new("complete_records_ratio", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of the object's records with every monitored field filled.", ["object"], false, Day),
        new("records", KpiFamily.DataQuality, "count", KpiDirection.Neutral,
            "Records of the object in the mirror (the denominator of its ratios).", ["object"], false, Day),
        new("missing_required_field", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Records of the object whose required (monitored) field is empty; one issue per record and field.",
            ["object", "field"], false, Day) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        foreach (var records in DataQualityRecords.ByObject(context))
        {
            AddObject(context, output, records.ObjectType, records);
        }
    }

    /// <summary>The required fields of an object, each once, in configured order.</summary>
    internal static string[] RequiredFields(KpiContext context, string objectType) =>
        context.Options.FieldsFor(objectType).Distinct(StringComparer.Ordinal).ToArray();

    private static void AddObject(KpiContext context, KpiOutput output, string objectType, RecordRows records)
    {
        var objectDims = Dimensions.Of(("object", objectType));
        output.Add("records", records.Count, objectDims);
        var fields = RequiredFields(context, objectType);
        // Custom fields not already required get a fill rate only.
        var customOnly = context.Options.CustomFieldsFor(objectType).Distinct(StringComparer.Ordinal)
            .Where(f => !fields.Contains(f, StringComparer.Ordinal)).ToArray();

        var (missing, filledTotal, complete) = Required(context, objectType, records);

        for (var i = 0; i < fields.Length; i++)
        {
            var dims = Dimensions.Of(("object", objectType), ("field", fields[i]));
            output.Add("missing_required_field", missing[i].Count, dims);
            output.AddIssues(missing[i]);
            if (records.Count > 0) output.Add("field_fill_rate", (double)(records.Count - missing[i].Count) / records.Count, dims);
        }
        if (records.Count == 0) return;
        foreach (var field in customOnly)
        {
            output.Add("field_fill_rate", FillRate(records, field), Dimensions.Of(("object", objectType), ("field", field)));
        }
        if (fields.Length == 0) return;
        // Every record has the same number of fields, so the mean of per-record shares is total filled ÷ total cells.
        output.Add("completeness_score", (double)filledTotal / ((long)records.Count * fields.Length), objectDims);
        output.Add("complete_records_ratio", (double)complete / records.Count, objectDims);
    }

    /// <summary>One pass over an object's records and its <see cref="RequiredFields"/>: the records missing each field
    /// (index of the field), the filled cells and the complete records. Computed once per pass (the score reads it).</summary>
    internal sealed record RequiredScan(IssueBuffer[] Missing, long Filled, int Complete);

    internal static RequiredScan Required(KpiContext context, string objectType, RecordRows records) =>
        context.Shared("required/" + objectType, () => ScanRequired(context, objectType, RequiredFields(context, objectType), records));

    private static RequiredScan ScanRequired(KpiContext context, string objectType, string[] fields, RecordRows records)
    {
        var filled = fields.Select(records.FilledTest).ToArray();
        var details = fields.Select(f => $"{f} is empty").ToArray(); // one string per field, not per record
        // Contiguous chunks on every core, joined in record order: the same lists as one scan.
        var parts = Chunks.Map(records.Count, (start, end) =>
        {
            var missing = fields.Select(_ => new IssueBuffer()).ToArray();
            long filledTotal = 0;
            var complete = 0;
            for (var r = start; r < end; r++)
            {
                var filledHere = 0;
                for (var i = 0; i < fields.Length; i++)
                {
                    if (filled[i](r)) { filledHere++; continue; }
                    DataQualityRecords.Add(missing[i], context, "missing_required_field", records, r, fields[i], details[i]);
                }
                filledTotal += filledHere;
                if (filledHere == fields.Length) complete++;
            }
            return new RequiredScan(missing, filledTotal, complete);
        });
        if (parts.Length == 1) return parts[0];
        var all = new IssueBuffer[fields.Length];
        for (var i = 0; i < fields.Length; i++) all[i] = DataQualityRecords.Join(parts.Select(p => p.Missing[i]));
        return new RequiredScan(all, parts.Sum(p => p.Filled), parts.Sum(p => p.Complete));
    }

    /// <summary>Share of <paramref name="records"/> (at least one) whose <paramref name="field"/> is filled.</summary>
    internal static double FillRate(RecordRows records, string field)
    {
        var filled = records.FilledTest(field);
        var count = 0;
        for (var r = 0; r < records.Count; r++) if (filled(r)) count++;
        return (double)count / records.Count;
    }
}
