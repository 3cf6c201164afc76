using System.Globalization;
using System.Text;
using CrmPulse.Core.Model;
using CrmPulse.Core.Reconciliation;

namespace CrmPulse.Reconciliation;

/// <summary>
/// The re-import files of a reconciliation. Records are written in the File source's columns (contacts.csv,
/// companies.csv, deals.csv, custom fields after them), so the missing records and the delta can be imported into the
/// new CRM (or read back by a File source); fixes of matched records name the new system's ids.
/// </summary>
/// <remarks>Values are written as they are (RFC 4180 quoting only): a re-import must get "+1 555 0101" back, so there is
/// no spreadsheet formula guard as in the console's issue lists. Open these files in an import tool, not a spreadsheet.</remarks>
public static class ReconciliationCsv
{
    public static readonly IReadOnlyList<string> Kinds =
    [
        ReconciliationKpis.Missing, ReconciliationKpis.Delta, ReconciliationKpis.Extra, ReconciliationKpis.EmptiedProperties,
        ReconciliationKpis.LostAssociations,
    ];

    public static string Write(string kind, string objectType, ReconciliationFindings findings)
    {
        var csv = new StringBuilder();
        switch (kind)
        {
            case ReconciliationKpis.Missing: Records(csv, objectType, findings.Missing); break;
            case ReconciliationKpis.Delta: Records(csv, objectType, findings.Delta); break;
            case ReconciliationKpis.Extra: Records(csv, objectType, findings.Extra); break;
            case ReconciliationKpis.EmptiedProperties:
                Line(csv, "new_id", "old_id", "field", "value", "old_field");
                foreach (var p in findings.EmptiedProperties.Where(p => p.Object == objectType)) Line(csv, p.NewId, p.OldId, p.NewField, p.OldValue, p.OldField);
                break;
            case ReconciliationKpis.LostAssociations:
                Line(csv, "new_id", "old_id", "association", "target_new_id", "target_old_id", "current_target_new_id");
                foreach (var a in findings.LostAssociations.Where(a => a.Object == objectType))
                    Line(csv, a.NewId, a.OldId, a.Association, a.NewTargetId, a.OldTargetId, a.NewCurrentTargetId);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return csv.ToString();
    }

    private static void Records(StringBuilder csv, string objectType, IReadOnlyList<CrmRecord> all)
    {
        var records = all.Where(r => r.ObjectType == objectType).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var custom = records.SelectMany(r => r.Custom.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        string[] columns = objectType switch
        {
            "contact" => ["id", "first_name", "last_name", "email", "phone", "company_id", "owner_id", "lifecycle_stage", "lead_status", "is_lead", "converted_at", "created_at", "modified_at"],
            "company" => ["id", "name", "domain", "industry", "owner_id", "parent_id", "created_at", "modified_at"],
            _ => ["id", "name", "pipeline", "stage", "amount", "close_date", "owner_id", "company_id", "contact_id", "is_closed", "is_won", "closed_at", "lost_reason", "stage_entered_at", "created_at", "modified_at"],
        };
        Line(csv, [.. columns, .. custom.Where(c => !columns.Contains(c))]);
        foreach (var r in records)
        {
            var cells = r switch
            {
                Contact c => new[] { c.Id, c.FirstName, c.LastName, c.Email, c.Phone, c.CompanyId, c.OwnerId, c.LifecycleStage, c.LeadStatus, Bool(c.IsLead), Time(c.ConvertedAt), Time(c.CreatedAt), Time(c.ModifiedAt) },
                Company c => [c.Id, c.Name, c.Domain, c.Industry, c.OwnerId, c.ParentId, Time(c.CreatedAt), Time(c.ModifiedAt)],
                Deal d => [d.Id, d.Name, d.Pipeline, d.Stage, d.Amount?.ToString(CultureInfo.InvariantCulture), d.CloseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    d.OwnerId, d.CompanyId, d.ContactId, Bool(d.IsClosed), Bool(d.IsWon), Time(d.ClosedAt), d.LostReason, Time(d.StageEnteredAt), Time(d.CreatedAt), Time(d.ModifiedAt)],
                _ => throw new InvalidOperationException($"Unexpected record {r.GetType().Name}."),
            };
            Line(csv, [.. cells, .. custom.Where(k => !columns.Contains(k)).Select(k => r.Custom.GetValueOrDefault(k))]);
        }
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One RFC 4180 line, values as they are.</summary>
    internal static void Line(StringBuilder sb, params string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var c = cells[i] ?? "";
            if (c.IndexOfAny([',', '"', '\r', '\n']) >= 0) c = "\"" + c.Replace("\"", "\"\"") + "\"";
            sb.Append(c);
        }
        sb.Append("\r\n");
    }
}
