using System.Globalization;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// One object's records as the data-quality families read them: by position, field by field, from their columns
/// (<see cref="ContactColumns"/>, <see cref="CompanyColumns"/>, <see cref="DealColumns"/>) without building a record
/// per row. Same answers as <see cref="CrmRecord.GetField"/> and <see cref="FieldAccess"/> on the records.
/// </summary>
internal sealed class RecordRows
{
    private readonly string[] _ids;
    private readonly StringColumn _owner;
    private readonly InstantColumn _modified;
    // A custom field's column by name (null: no record has the field).
    private readonly Func<string, StringColumn?> _custom;
    // The object's own standard fields (beyond id and owner): how to read one, and how to tell it is filled.
    private readonly Func<string, (Func<int, string?> Read, Func<int, bool> Filled)?> _standard;

    private RecordRows(string objectType, int count, string[] ids, StringColumn owner, InstantColumn created, InstantColumn modified,
        Func<string, StringColumn?> custom, Func<string, (Func<int, string?>, Func<int, bool>)?> standard) =>
        (ObjectType, Count, _ids, _owner, Created, _modified, _custom, _standard) = (objectType, count, ids, owner, created, modified, custom, standard);

    public static RecordRows Of(ContactColumns c) => new("contact", c.Count, c.Ids, c.Owner, c.Created, c.Modified, c.CustomField, name => name switch
    {
        "first_name" => Field(c.FirstName),
        "last_name" => Field(c.LastName),
        "email" => Field(c.Email),
        "phone" => Field(c.Phone),
        "company" => Field(c.Company),
        "lifecycle_stage" => Field(c.LifecycleStage),
        "lead_status" => Field(c.LeadStatus),
        "lead_source" => Field(c.LeadSource),
        "created_at" => (row => c.Created.At(row).ToString("O", CultureInfo.InvariantCulture), _ => true),
        _ => null,
    });

    public static RecordRows Of(CompanyColumns c) => new("company", c.Count, c.Ids, c.Owner, c.Created, c.Modified, c.CustomField, name => name switch
    {
        "name" => Field(c.Name),
        "domain" => Field(c.Domain),
        "industry" => Field(c.Industry),
        "parent" => Field(c.Parent),
        _ => null,
    });

    public static RecordRows Of(DealColumns d) => new("deal", d.Count, d.Ids, d.Owner, d.Created, d.Modified, d.CustomField, name => name switch
    {
        "name" => Field(d.Name),
        "pipeline" => Field(d.Pipeline),
        "stage" => Field(d.Stage),
        // A number or a date formats to a non-empty text exactly when it is there.
        "amount" => (row => d.Amount[row]?.ToString(CultureInfo.InvariantCulture), row => d.Amount.Has[row]),
        "close_date" => (row => d.CloseDate[row]?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row => d.CloseDate.DayNumbers[row] != DateColumn.None),
        "company" => Field(d.Company),
        "contact" => Field(d.Contact),
        "lost_reason" => Field(d.LostReason),
        _ => null,
    });

    /// <summary>"contact", "company" or "deal".</summary>
    public string ObjectType { get; }

    public int Count { get; }

    public string Id(int row) => _ids[row];

    public string? Owner(int row) => _owner[row];

    /// <summary>The records' creation instants (<see cref="CrmRecord.CreatedAt"/>).</summary>
    public InstantColumn Created { get; }

    /// <summary>The record's last modification, in UTC ticks (as instants compare).</summary>
    public long ModifiedTicks(int row) => _modified.UtcTicks[row];

    /// <summary>Reads a field by name on every row: <see cref="FieldAccess.Reader"/>.</summary>
    public Func<int, string?> Reader(string name)
    {
        switch (name)
        {
            case "id": return row => _ids[row];
            case "owner": return Field(_owner).Read;
        }
        if (_standard(name) is { } field) return field.Read;
        return _custom(name) is { } custom ? Field(custom).Read : _ => null;
    }

    /// <summary>True when a field is filled on a row: <see cref="FieldAccess.FilledTest"/>.</summary>
    public Func<int, bool> FilledTest(string name)
    {
        switch (name)
        {
            case "id": return row => CrmRecord.IsFilled(_ids[row]);
            case "owner": return Field(_owner).Filled;
        }
        if (_standard(name) is { } field) return field.Filled;
        return _custom(name) is { } custom ? Field(custom).Filled : _ => false;
    }

    // Each distinct value of a coded column is tested once; a row reads its code's answer.
    private static (Func<int, string?> Read, Func<int, bool> Filled) Field(StringColumn column)
    {
        var filled = Array.ConvertAll(column.Values, CrmRecord.IsFilled);
        var codes = column.Codes;
        return (row => column[row], row => codes[row] is >= 0 and var code && filled[code]);
    }

    private static (Func<int, string?> Read, Func<int, bool> Filled) Field(TextColumn column) => (row => column[row], column.IsFilled);
}
