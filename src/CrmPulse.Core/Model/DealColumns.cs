using System.Collections;

namespace CrmPulse.Core.Model;

/// <summary>
/// Deals held as arrays per field (the columnar snapshot, as <see cref="ContactColumns"/>): owner, pipeline, stage,
/// company, contact and lost reason as integer codes into tables of their distinct values (each one shared string); the
/// name as one block of one-byte characters (<see cref="TextColumn"/>); the amount as a decimal per row; the close date
/// as a day number; instants as UTC ticks; custom fields as a column per field name (<see cref="CustomColumns"/>). The pipeline, outcome, account, licence, funnel and activity families read
/// the arrays without a record per deal.
/// </summary>
/// <remarks>
/// The ids stay strings (<see cref="Ids"/>), one per deal shared by its issues. It is also a list of <see cref="Deal"/>:
/// an item read by index is built from the arrays (equal to the record added), so code that reads deals as records
/// (reconciliation, audits, integration health) works unchanged.
/// </remarks>
public sealed class DealColumns : IReadOnlyList<Deal>
{
    private readonly CustomColumns? _custom;

    private DealColumns(Builder b)
    {
        Count = b.Count;
        Ids = ColumnArrays.Trim(b.Ids, Count);
        IsClosed = ColumnArrays.Trim(b.IsClosed, Count);
        IsWon = ColumnArrays.Trim(b.IsWon, Count);
        Owner = b.Owner.Build(Count);
        Name = b.Name.Build(Count);
        Pipeline = b.Pipeline.Build(Count);
        Stage = b.Stage.Build(Count);
        Amount = b.Amount.Build(Count);
        CloseDate = b.CloseDate.Build(Count);
        Company = b.Company.Build(Count);
        Contact = b.Contact.Build(Count);
        LostReason = b.LostReason.Build(Count);
        Closed = b.Closed.Build(Count);
        StageEntered = b.StageEntered.Build(Count);
        Created = b.Created.Build(Count);
        Modified = b.Modified.Build(Count);
        _custom = b.Custom.Build(Count);
    }

    public int Count { get; }

    /// <summary>The CRM's ids, by position.</summary>
    public string[] Ids { get; }

    public bool[] IsClosed { get; }

    public bool[] IsWon { get; }

    /// <summary>The owner's user id (null: unowned).</summary>
    public StringColumn Owner { get; }

    public TextColumn Name { get; }

    public StringColumn Pipeline { get; }

    public StringColumn Stage { get; }

    public DecimalColumn Amount { get; }

    /// <summary>The expected or actual close date (<see cref="Deal.CloseDate"/>).</summary>
    public DateColumn CloseDate { get; }

    /// <summary>The associated company's id.</summary>
    public StringColumn Company { get; }

    /// <summary>The primary contact's id.</summary>
    public StringColumn Contact { get; }

    public StringColumn LostReason { get; }

    /// <summary>When the deal was closed (<see cref="Deal.ClosedAt"/>; <see cref="InstantColumn.None"/>: unknown).</summary>
    public InstantColumn Closed { get; }

    /// <summary>When the deal entered its current stage (<see cref="Deal.StageEnteredAt"/>; <see cref="InstantColumn.None"/>: unknown).</summary>
    public InstantColumn StageEntered { get; }

    public InstantColumn Created { get; }

    public InstantColumn Modified { get; }

    /// <summary>The deal's custom fields (<see cref="CrmRecord.Custom"/>), a new dictionary each time.</summary>
    public IReadOnlyDictionary<string, string?> Custom(int row) => _custom?.Row(row) ?? CrmRecord.EmptyFields;

    /// <summary>A custom field's values by row (<see cref="CustomColumns.Column"/>), null when no row has it.</summary>
    public StringColumn? CustomField(string name) => _custom?.Column(name);

    /// <summary>
    /// When a closed deal closed, in UTC ticks: its ClosedAt, else its close date at 00:00 UTC, else
    /// <see cref="InstantColumn.None"/> (as <c>ActivityKpis.WonAt</c> reads a record).
    /// </summary>
    public long ClosedTicks(int row) =>
        Closed.UtcTicks[row] is var closed && closed != InstantColumn.None ? closed
        : CloseDate.DayNumbers[row] is var day && day != DateColumn.None ? (long)day * TimeSpan.TicksPerDay
        : InstantColumn.None;

    /// <summary>The deal at <paramref name="index"/> as a record, built from the arrays.</summary>
    public Deal this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new Deal
            {
                Id = Ids[index], OwnerId = Owner[index], CreatedAt = Created.At(index), ModifiedAt = Modified.At(index),
                Custom = Custom(index), Name = Name[index], Pipeline = Pipeline[index], Stage = Stage[index],
                Amount = Amount[index], CloseDate = CloseDate[index], CompanyId = Company[index], ContactId = Contact[index],
                IsClosed = IsClosed[index], IsWon = IsWon[index], ClosedAt = Closed.AtOrNull(index), LostReason = LostReason[index],
                StageEnteredAt = StageEntered.AtOrNull(index),
            };
        }
    }

    public IEnumerator<Deal> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The deals as columns: <paramref name="deals"/> itself when it already is, else its records copied.</summary>
    public static DealColumns From(IReadOnlyList<Deal> deals)
    {
        ArgumentNullException.ThrowIfNull(deals);
        if (deals is DealColumns columns) return columns;
        var builder = new Builder(deals.Count);
        foreach (var d in deals) builder.Add(d);
        return builder.Build();
    }

    /// <summary>Adds deals one by one (a store reading its rows, a generator), then builds the columns once.</summary>
    public sealed class Builder(int capacity = 1024)
    {
        internal int Count;
        internal string[] Ids = new string[Math.Max(capacity, 16)];
        internal readonly CustomColumns.Builder Custom = new(capacity);
        internal bool[] IsClosed = new bool[Math.Max(capacity, 16)];
        internal bool[] IsWon = new bool[Math.Max(capacity, 16)];
        internal readonly StringColumn.Builder Owner = new(capacity), Pipeline = new(capacity), Stage = new(capacity),
            Company = new(capacity), Contact = new(capacity), LostReason = new(capacity);
        internal readonly TextColumn.Builder Name = new(capacity, bytesPerRow: 16);
        internal readonly DecimalColumn.Builder Amount = new(capacity);
        internal readonly DateColumn.Builder CloseDate = new(capacity);
        internal readonly InstantColumn.Builder Closed = new(capacity), StageEntered = new(capacity), Created = new(capacity), Modified = new(capacity);

        public void Add(Deal d)
        {
            ArgumentNullException.ThrowIfNull(d);
            if (Count == Ids.Length)
            {
                var size = Count * 2;
                Array.Resize(ref Ids, size);
                Array.Resize(ref IsClosed, size);
                Array.Resize(ref IsWon, size);
            }
            Ids[Count] = d.Id;
            IsClosed[Count] = d.IsClosed;
            IsWon[Count] = d.IsWon;
            Owner.Add(d.OwnerId);
            Name.Add(d.Name);
            Pipeline.Add(d.Pipeline);
            Stage.Add(d.Stage);
            Amount.Add(d.Amount);
            CloseDate.Add(d.CloseDate);
            Company.Add(d.CompanyId);
            Contact.Add(d.ContactId);
            LostReason.Add(d.LostReason);
            Closed.Add(d.ClosedAt);
            StageEntered.Add(d.StageEnteredAt);
            Created.Add(d.CreatedAt);
            Modified.Add(d.ModifiedAt);
            Custom.Add(d.Custom);
            Count++;
        }

        public DealColumns Build() => new(this);
    }
}

/// <summary>A column of optional decimals (amounts): per row the value (0 when missing) and whether there is one. A
/// decimal keeps its scale, so a row reads back as the very value added (100.00 stays 100.00).</summary>
public sealed class DecimalColumn
{
    private DecimalColumn(decimal[] values, bool[] has) => (Values, Has) = (values, has);

    /// <summary>The values by row; 0 where <see cref="Has"/> is false.</summary>
    public decimal[] Values { get; }

    /// <summary>Whether the row has a value.</summary>
    public bool[] Has { get; }

    public decimal? this[int row] => Has[row] ? Values[row] : null;

    internal sealed class Builder(int capacity)
    {
        private decimal[] _values = new decimal[Math.Max(capacity, 16)];
        private bool[] _has = new bool[Math.Max(capacity, 16)];
        private int _count;

        public void Add(decimal? value)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _count * 2);
                Array.Resize(ref _has, _count * 2);
            }
            _values[_count] = value ?? 0m;
            _has[_count++] = value is not null;
        }

        public DecimalColumn Build(int count) => new(ColumnArrays.Trim(_values, count), ColumnArrays.Trim(_has, count));
    }
}

/// <summary>A column of optional dates: per row the <see cref="DateOnly.DayNumber"/>, or <see cref="None"/>.</summary>
public sealed class DateColumn
{
    private DateColumn(int[] dayNumbers) => DayNumbers = dayNumbers;

    /// <summary>The day number of a missing date (smaller than any real one).</summary>
    public const int None = int.MinValue;

    public int[] DayNumbers { get; }

    public DateOnly? this[int row] => DayNumbers[row] is var day && day != None ? DateOnly.FromDayNumber(day) : null;

    internal sealed class Builder(int capacity)
    {
        private int[] _days = new int[Math.Max(capacity, 16)];
        private int _count;

        public void Add(DateOnly? date)
        {
            if (_count == _days.Length) Array.Resize(ref _days, _count * 2);
            _days[_count++] = date?.DayNumber ?? None;
        }

        public DateColumn Build(int count) => new(ColumnArrays.Trim(_days, count));
    }
}
