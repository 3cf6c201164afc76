using System.Collections;

namespace CrmPulse.Core.Model;

/// <summary>
/// Contacts held as arrays per field (the columnar snapshot, as <see cref="ActivityColumns"/>): owner, names, company,
/// lifecycle stage, lead status and lead source as integer codes into tables of their distinct values (each value one
/// shared string); e-mail and phone as one block of one-byte characters each (<see cref="TextColumn"/>); instants as UTC
/// ticks; custom fields as a column per field name (<see cref="CustomColumns"/>). A contact record costs about 200 bytes for the object alone plus its e-mail and phone strings; here a contact
/// costs about a third of that, and the families that scan every contact read the arrays.
/// </summary>
/// <remarks>
/// The ids stay strings (<see cref="Ids"/>): the drill-down issues name their record by its id, and holding each id
/// once, shared by the issues, costs less than a new string per issue. It is also a list of <see cref="Contact"/>: an
/// item read by index is built from the arrays (equal to the record added), so code that reads contacts as records
/// (the deduplicator, reconciliation, the host) works unchanged.
/// </remarks>
public sealed class ContactColumns : IReadOnlyList<Contact>
{
    private readonly CustomColumns? _custom;
    private readonly IReadOnlyDictionary<string, DateTimeOffset>?[]? _stageDates;
    private readonly StringColumn _verdictRegion;
    private readonly bool[] _verdictValid;
    private readonly uint[] _verdictPhone;

    private ContactColumns(Builder b)
    {
        Count = b.Count;
        Ids = ColumnArrays.Trim(b.Ids, Count);
        IsLead = ColumnArrays.Trim(b.IsLead, Count);
        Owner = b.Owner.Build(Count);
        FirstName = b.FirstName.Build(Count);
        LastName = b.LastName.Build(Count);
        Company = b.Company.Build(Count);
        LifecycleStage = b.LifecycleStage.Build(Count);
        LeadStatus = b.LeadStatus.Build(Count);
        LeadSource = b.LeadSource.Build(Count);
        Email = b.Email.Build(Count);
        Phone = b.Phone.Build(Count);
        Created = b.Created.Build(Count);
        Modified = b.Modified.Build(Count);
        Converted = b.Converted.Build(Count);
        _verdictRegion = b.VerdictRegion.Build(Count);
        _verdictValid = ColumnArrays.Trim(b.VerdictValid, Count);
        _verdictPhone = ColumnArrays.Trim(b.VerdictPhone, Count);
        _custom = b.Custom.Build(Count);
        _stageDates = b.StageDates is null ? null : ColumnArrays.Trim(b.StageDates, Count);
    }

    public int Count { get; }

    /// <summary>The CRM's ids, by position.</summary>
    public string[] Ids { get; }

    public bool[] IsLead { get; }

    /// <summary>The owner's user id (null: unowned).</summary>
    public StringColumn Owner { get; }

    public StringColumn FirstName { get; }

    public StringColumn LastName { get; }

    /// <summary>The associated company's id.</summary>
    public StringColumn Company { get; }

    public StringColumn LifecycleStage { get; }

    public StringColumn LeadStatus { get; }

    public StringColumn LeadSource { get; }

    public TextColumn Email { get; }

    public TextColumn Phone { get; }

    public InstantColumn Created { get; }

    public InstantColumn Modified { get; }

    /// <summary>When a lead was converted (<see cref="InstantColumn.None"/>: not converted).</summary>
    public InstantColumn Converted { get; }

    /// <summary>The contact's custom fields (<see cref="CrmRecord.Custom"/>), a new dictionary each time.</summary>
    public IReadOnlyDictionary<string, string?> Custom(int row) => _custom?.Row(row) ?? CrmRecord.EmptyFields;

    /// <summary>A custom field's values by row (<see cref="CustomColumns.Column"/>), null when no row has it.</summary>
    public StringColumn? CustomField(string name) => _custom?.Column(name);

    /// <summary>The contact's funnel stage dates (<see cref="Contact.StageDates"/>), null when none.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? StageDates(int row) => _stageDates?[row];

    /// <summary>The contact's stored phone verdict (<see cref="Contact.PhoneVerdict"/>), null when not judged.</summary>
    public PhoneVerdict? Verdict(int row) =>
        _verdictRegion[row] is { } region ? new PhoneVerdict(region, _verdictValid[row], _verdictPhone[row]) : null;

    /// <summary>The contact at <paramref name="index"/> as a record, built from the arrays.</summary>
    public Contact this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new Contact
            {
                Id = Ids[index], OwnerId = Owner[index], CreatedAt = Created.At(index), ModifiedAt = Modified.At(index),
                Custom = Custom(index), FirstName = FirstName[index], LastName = LastName[index], Email = Email[index],
                Phone = Phone[index], CompanyId = Company[index], LifecycleStage = LifecycleStage[index],
                LeadStatus = LeadStatus[index], IsLead = IsLead[index], ConvertedAt = Converted.AtOrNull(index),
                PhoneVerdict = Verdict(index), LeadSource = LeadSource[index], StageDates = StageDates(index),
            };
        }
    }

    public IEnumerator<Contact> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The contacts as columns: <paramref name="contacts"/> itself when it already is, else its records copied.</summary>
    public static ContactColumns From(IReadOnlyList<Contact> contacts)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        if (contacts is ContactColumns columns) return columns;
        var builder = new Builder(contacts.Count);
        foreach (var c in contacts) builder.Add(c);
        return builder.Build();
    }

    /// <summary>Adds contacts one by one (a store reading its rows, a generator), then builds the columns once.</summary>
    public sealed class Builder(int capacity = 1024)
    {
        internal int Count;
        internal string[] Ids = new string[Math.Max(capacity, 16)];
        internal readonly CustomColumns.Builder Custom = new(capacity);
        internal bool[] IsLead = new bool[Math.Max(capacity, 16)];
        internal bool[] VerdictValid = new bool[Math.Max(capacity, 16)];
        internal uint[] VerdictPhone = new uint[Math.Max(capacity, 16)];
        internal IReadOnlyDictionary<string, DateTimeOffset>?[]? StageDates;
        internal readonly StringColumn.Builder Owner = new(capacity), FirstName = new(capacity), LastName = new(capacity),
            Company = new(capacity), LifecycleStage = new(capacity), LeadStatus = new(capacity), LeadSource = new(capacity),
            VerdictRegion = new(capacity);
        internal readonly TextColumn.Builder Email = new(capacity), Phone = new(capacity);
        internal readonly InstantColumn.Builder Created = new(capacity), Modified = new(capacity), Converted = new(capacity);

        public void Add(Contact c)
        {
            ArgumentNullException.ThrowIfNull(c);
            if (Count == Ids.Length)
            {
                var size = Count * 2;
                Array.Resize(ref Ids, size);
                Array.Resize(ref IsLead, size);
                Array.Resize(ref VerdictValid, size);
                Array.Resize(ref VerdictPhone, size);
                if (StageDates is not null) Array.Resize(ref StageDates, size);
            }
            Ids[Count] = c.Id;
            IsLead[Count] = c.IsLead;
            Owner.Add(c.OwnerId);
            FirstName.Add(c.FirstName);
            LastName.Add(c.LastName);
            Company.Add(c.CompanyId);
            LifecycleStage.Add(c.LifecycleStage);
            LeadStatus.Add(c.LeadStatus);
            LeadSource.Add(c.LeadSource);
            Email.Add(c.Email);
            Phone.Add(c.Phone);
            Created.Add(c.CreatedAt);
            Modified.Add(c.ModifiedAt);
            Converted.Add(c.ConvertedAt);
            VerdictRegion.Add(c.PhoneVerdict?.Region);
            VerdictValid[Count] = c.PhoneVerdict?.Valid ?? false;
            VerdictPhone[Count] = c.PhoneVerdict?.Phone ?? 0;
            Custom.Add(c.Custom);
            // Most contacts have no stage dates: the array exists only once one has.
            if (c.StageDates is not null)
            {
                StageDates ??= new IReadOnlyDictionary<string, DateTimeOffset>?[Ids.Length];
                StageDates[Count] = c.StageDates;
            }
            Count++;
        }

        public ContactColumns Build() => new(this);
    }
}

/// <summary>
/// A column of texts that are mostly different from row to row (e-mails, phones), so nothing to share: when every
/// character is below U+0100 one byte per character in one array, with each row's start; a row's text is a new string
/// when read. Otherwise the strings themselves. Null rows read back as null, empty ones as "".
/// </summary>
public sealed class TextColumn
{
    private readonly byte[]? _text;
    private readonly int[]? _starts;
    private readonly bool[]? _null;
    private readonly string?[]? _strings;

    private TextColumn(byte[]? text, int[]? starts, bool[]? isNull, string?[]? strings) =>
        (_text, _starts, _null, _strings) = (text, starts, isNull, strings);

    public string? this[int row] => _strings is not null
        ? _strings[row]
        : _null is not null && _null[row] ? null
        : _starts![row + 1] == _starts[row] ? ""
        : System.Text.Encoding.Latin1.GetString(_text!, _starts[row], _starts[row + 1] - _starts[row]);

    /// <summary>The length of the row's text, or −1 for null (read it with <see cref="CopyTo"/>, without making a string).</summary>
    internal int LengthOf(int row) => _strings is not null ? _strings[row]?.Length ?? -1
        : _null is not null && _null[row] ? -1
        : _starts![row + 1] - _starts[row];

    /// <summary>Copies the row's text (not null) into <paramref name="into"/>, at least <see cref="LengthOf"/> long.</summary>
    internal void CopyTo(int row, Span<char> into)
    {
        if (_strings is not null) _strings[row].AsSpan().CopyTo(into);
        else System.Text.Encoding.Latin1.GetChars(_text.AsSpan(_starts![row], _starts[row + 1] - _starts[row]), into);
    }

    /// <summary>True when the row's text is filled (<see cref="CrmRecord.IsFilled"/>), without making a string of it.</summary>
    public bool IsFilled(int row)
    {
        if (_strings is not null) return CrmRecord.IsFilled(_strings[row]);
        if (_null is not null && _null[row]) return false;
        for (var i = _starts![row]; i < _starts[row + 1]; i++)
        {
            if (!char.IsWhiteSpace((char)_text![i])) return true;
        }
        return false;
    }

    /// <param name="capacity">The rows to expect.</param>
    /// <param name="bytesPerRow">The characters a row is expected to hold, for the first text array.</param>
    internal sealed class Builder(int capacity, int bytesPerRow = 8)
    {
        private byte[]? _text = new byte[Math.Max(capacity, 16) * bytesPerRow];
        private int[]? _starts = new int[Math.Max(capacity, 16) + 1];
        private bool[]? _null;
        private List<string?>? _strings;
        private int _count;
        private int _length;

        public void Add(string? value)
        {
            if (_strings is not null)
            {
                _strings.Add(value);
                return;
            }
            if (value is not null && (value.AsSpan().IndexOfAnyExceptInRange('\0', '\u00FF') >= 0 || (long)_length + value.Length > Array.MaxLength))
            {
                // Not one byte per character (or more text than an array holds): the strings themselves, from here on.
                _strings = new List<string?>(_count + 1);
                for (var i = 0; i < _count; i++) _strings.Add(Read(i));
                (_text, _starts, _null) = (null, null, null);
                _strings.Add(value);
                return;
            }
            if (_count + 1 == _starts!.Length)
            {
                Array.Resize(ref _starts, _starts.Length * 2);
                if (_null is not null) Array.Resize(ref _null, _starts.Length);
            }
            if (value is null)
            {
                _null ??= new bool[_starts.Length];
                _null[_count] = true;
            }
            else
            {
                if (_length + value.Length > _text!.Length)
                {
                    Array.Resize(ref _text, (int)Math.Min(Array.MaxLength, Math.Max((long)_text.Length * 2, _length + value.Length)));
                }
                for (var i = 0; i < value.Length; i++) _text[_length + i] = (byte)value[i];
                _length += value.Length;
            }
            _starts[++_count] = _length;
        }

        private string? Read(int row) => _null is not null && _null[row] ? null
            : System.Text.Encoding.Latin1.GetString(_text!, _starts![row], _starts[row + 1] - _starts[row]);

        public TextColumn Build(int count)
        {
            if (_strings is not null) return new TextColumn(null, null, null, [.. _strings]);
            if (_text!.Length != _length) Array.Resize(ref _text, _length);
            if (_starts!.Length != count + 1) Array.Resize(ref _starts, count + 1);
            if (_null is not null && _null.Length != count) Array.Resize(ref _null, count);
            return new TextColumn(_text, _starts, _null, null);
        }
    }
}
