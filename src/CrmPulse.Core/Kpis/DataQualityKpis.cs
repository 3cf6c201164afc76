using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: fill rates of the monitored fields of each object, and completeness.</summary>
/// <remarks>
/// <para>For each object (contact, company, deal) the monitored fields are <see cref="KpiOptions.FieldsFor"/> (standard
/// fields by name, custom ones through <see cref="CrmRecord.Custom"/>; a name listed twice counts once) and the records
/// are all of that kind in the snapshot. These KPIs read the mirror as it is now: they are not rebuildable, so as-of
/// does not filter records.</para>
/// <para>records is always emitted. An object with no records gets no ratio samples (a ratio over nothing is not a
/// number, and 0 or 1 would both be invented); an object with no monitored fields gets no fill or completeness
/// samples.</para>
/// </remarks>
public sealed class DataQualityKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("field_fill_rate", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of records of the object whose field is filled (not null, not empty, not only white space).",
            ["object", "field"], false, Day),
        new("completeness_score", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Mean over the object's records of (monitored fields filled ÷ monitored fields).", ["object"], false, Day),
        new("complete_records_ratio", KpiFamily.DataQuality, "ratio", KpiDirection.HigherIsBetter,
            "Share of the object's records with every monitored field filled.", ["object"], false, Day),
        new("records", KpiFamily.DataQuality, "count", KpiDirection.Neutral,
            "Records of the object in the mirror (the denominator of its ratios).", ["object"], false, Day),
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var snapshot = context.Snapshot;
        AddObject(context, output, "contact", snapshot.Contacts);
        AddObject(context, output, "company", snapshot.Companies);
        AddObject(context, output, "deal", snapshot.Deals);
    }

    private static void AddObject(KpiContext context, KpiOutput output, string objectType, IReadOnlyList<CrmRecord> records)
    {
        var objectDims = Dimensions.Of(("object", objectType));
        output.Add("records", records.Count, objectDims);
        var fields = context.Options.FieldsFor(objectType).Distinct(StringComparer.Ordinal).ToArray();
        if (records.Count == 0 || fields.Length == 0) return;

        var filledPerField = new int[fields.Length];
        long filledTotal = 0;
        var complete = 0;
        foreach (var record in records)
        {
            var filledHere = 0;
            for (var i = 0; i < fields.Length; i++)
            {
                if (!CrmRecord.IsFilled(record.GetField(fields[i]))) continue;
                filledPerField[i]++;
                filledHere++;
            }
            filledTotal += filledHere;
            if (filledHere == fields.Length) complete++;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            output.Add("field_fill_rate", (double)filledPerField[i] / records.Count,
                Dimensions.Of(("object", objectType), ("field", fields[i])));
        }
        // Every record has the same number of fields, so the mean of per-record shares is total filled ÷ total cells.
        output.Add("completeness_score", (double)filledTotal / ((long)records.Count * fields.Length), objectDims);
        output.Add("complete_records_ratio", (double)complete / records.Count, objectDims);
    }
}
