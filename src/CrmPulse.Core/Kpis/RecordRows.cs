using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// One object's records as the data-quality families read them: by position, field by field. Contacts are read from
/// their columns (<see cref="ContactColumns"/>) without building a record per row; companies and deals from their
/// records. Same answers as <see cref="CrmRecord.GetField"/> and <see cref="FieldAccess"/> on the records.
/// </summary>
internal sealed class RecordRows
{
    private readonly IReadOnlyList<CrmRecord> _records;
    private readonly ContactColumns? _contacts;

    private RecordRows(string objectType, IReadOnlyList<CrmRecord> records, ContactColumns? contacts) =>
        (ObjectType, _records, _contacts) = (objectType, records, contacts);

    public static RecordRows Of(ContactColumns contacts) => new("contact", contacts, contacts);

    public static RecordRows Of(string objectType, IReadOnlyList<CrmRecord> records) => new(objectType, records, null);

    /// <summary>"contact", "company" or "deal".</summary>
    public string ObjectType { get; }

    public int Count => _records.Count;

    public string Id(int row) => _contacts is { } c ? c.Ids[row] : _records[row].Id;

    public string? Owner(int row) => _contacts is { } c ? c.Owner[row] : _records[row].OwnerId;

    /// <summary>The record's last modification, in UTC ticks (as instants compare).</summary>
    public long ModifiedTicks(int row) => _contacts is { } c ? c.Modified.UtcTicks[row] : _records[row].ModifiedAt.UtcTicks;

    /// <summary>The record at <paramref name="row"/> (built from the columns for contacts: for the few rows that need it).</summary>
    public CrmRecord Record(int row) => _records[row];

    /// <summary>Reads a field by name on every row: <see cref="FieldAccess.Reader"/>.</summary>
    public Func<int, string?> Reader(string name)
    {
        if (_contacts is not { } c)
        {
            var read = FieldAccess.Reader(ObjectType, name);
            var records = _records;
            return row => read(records[row]);
        }
        return name switch
        {
            "id" => row => c.Ids[row],
            "owner" => Column(c.Owner),
            "first_name" => Column(c.FirstName),
            "last_name" => Column(c.LastName),
            "email" => row => c.Email[row],
            "phone" => row => c.Phone[row],
            "company" => Column(c.Company),
            "lifecycle_stage" => Column(c.LifecycleStage),
            "lead_status" => Column(c.LeadStatus),
            "lead_source" => Column(c.LeadSource),
            "created_at" => row => c.Created.At(row).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            _ => row => c.Custom(row).GetValueOrDefault(name),
        };

        static Func<int, string?> Column(StringColumn column) => row => column[row];
    }

    /// <summary>True when a field is filled on a row: <see cref="FieldAccess.FilledTest"/>.</summary>
    public Func<int, bool> FilledTest(string name)
    {
        if (_contacts is not { } c)
        {
            var test = FieldAccess.FilledTest(ObjectType, name);
            var records = _records;
            return row => test(records[row]);
        }
        return name switch
        {
            "id" => row => CrmRecord.IsFilled(c.Ids[row]),
            "owner" => Filled(c.Owner),
            "first_name" => Filled(c.FirstName),
            "last_name" => Filled(c.LastName),
            "email" => c.Email.IsFilled,
            "phone" => c.Phone.IsFilled,
            "company" => Filled(c.Company),
            "lifecycle_stage" => Filled(c.LifecycleStage),
            "lead_status" => Filled(c.LeadStatus),
            "lead_source" => Filled(c.LeadSource),
            "created_at" => _ => true,
            _ => row => CrmRecord.IsFilled(c.Custom(row).GetValueOrDefault(name)),
        };

        // Each distinct value is tested once; a row reads its code's answer.
        static Func<int, bool> Filled(StringColumn column)
        {
            var filled = Array.ConvertAll(column.Values, CrmRecord.IsFilled);
            var codes = column.Codes;
            return row => codes[row] is >= 0 and var code && filled[code];
        }
    }
}
