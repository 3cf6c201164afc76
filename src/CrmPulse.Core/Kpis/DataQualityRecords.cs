using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>What the data-quality families share: the objects in catalog order, and how an issue names its record.</summary>
internal static class DataQualityRecords
{
    /// <summary>The pass's records per object, in the order "contact", "company", "deal" (read from their columns).</summary>
    public static IEnumerable<RecordRows> ByObject(KpiContext context) =>
    [
        RecordRows.Of(context.Contacts),
        RecordRows.Of(context.Companies),
        RecordRows.Of(context.Deals),
    ];

    /// <summary>Adds an issue on the record at <paramref name="row"/>: owner (blank means none) and the owner's team
    /// come from the record.</summary>
    public static void Add(IssueBuffer issues, KpiContext context, string kpi, RecordRows rows, int row, string? field, string detail)
    {
        var owner = rows.Owner(row) is var o && CrmRecord.IsFilled(o) ? o : null;
        issues.Add(kpi, rows.ObjectType, rows.Id(row), owner, context.TeamOf(owner), field, detail);
    }

    /// <summary>Adds an issue on the record at <paramref name="row"/> whose detail is written out from
    /// <paramref name="code"/> and its arguments when read (<see cref="IssueText"/>).</summary>
    public static void Add(IssueBuffer issues, KpiContext context, string kpi, RecordRows rows, int row, string? field, IssueCode code,
        string? a = null, string? b = null)
    {
        var owner = rows.Owner(row) is var o && CrmRecord.IsFilled(o) ? o : null;
        issues.Add(kpi, rows.ObjectType, rows.Id(row), owner, context.TeamOf(owner), field, code, a, b);
    }

    /// <summary>Adds an issue on the record at <paramref name="row"/> whose detail is written out from
    /// <paramref name="code"/> with the row's texts in <paramref name="a"/> and <paramref name="b"/> as its arguments,
    /// read from the columns when the issue is read (the issue holds no copy of them).</summary>
    public static void Add(IssueBuffer issues, KpiContext context, string kpi, RecordRows rows, int row, string? field, IssueCode code,
        TextColumn a, TextColumn? b = null)
    {
        var owner = rows.Owner(row) is var o && CrmRecord.IsFilled(o) ? o : null;
        issues.Add(kpi, rows.ObjectType, rows.Id(row), owner, context.TeamOf(owner), field, code, a, b, row);
    }

    /// <summary>Adds an issue on <paramref name="record"/> to <paramref name="issues"/>: owner (blank means none) and the
    /// owner's team come from the record.</summary>
    public static void Add(IssueBuffer issues, KpiContext context, string kpi, CrmRecord record, string? field, string detail)
    {
        var owner = CrmRecord.IsFilled(record.OwnerId) ? record.OwnerId : null;
        issues.Add(kpi, record.ObjectType, record.Id, owner, context.TeamOf(owner), field, detail);
    }

    /// <summary>Adds an issue on <paramref name="record"/> whose detail is written out from <paramref name="code"/> and
    /// its arguments when read (<see cref="IssueText"/>).</summary>
    public static void Add(IssueBuffer issues, KpiContext context, string kpi, CrmRecord record, string? field, IssueCode code,
        string? a = null, string? b = null)
    {
        var owner = CrmRecord.IsFilled(record.OwnerId) ? record.OwnerId : null;
        issues.Add(kpi, record.ObjectType, record.Id, owner, context.TeamOf(owner), field, code, a, b);
    }

    /// <summary>Adds the issues and their count as the KPI's sample for <paramref name="objectType"/>.</summary>
    public static void AddCount(KpiOutput output, string kpi, string objectType, IssueBuffer issues)
    {
        output.Add(kpi, issues.Count, Dimensions.Of(("object", objectType)));
        output.AddIssues(issues);
    }

    /// <summary>The issues of scans over contiguous parts, joined in part order (rows shared, not copied).</summary>
    public static IssueBuffer Join(IEnumerable<IssueBuffer> parts)
    {
        var all = new IssueBuffer();
        foreach (var part in parts) all.AddRange(part);
        return all;
    }

    /// <summary>A date for issue details: "2025-01-31".</summary>
    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A value quoted for issue details, white space kept visible: 'SOFTWARE '.</summary>
    public static string Quote(string? value) => value is null ? "null" : $"'{value}'";
}
