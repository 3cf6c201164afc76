using System.Collections;

namespace CrmPulse.Core.Model;

/// <summary>
/// Activities held as arrays per field (a columnar snapshot): ids of users, contacts, companies and deals as integer
/// codes into tables of their distinct values (each value one shared string), instants as UTC ticks. Three million
/// activities as records cost about 190 bytes each (an object, its id, three 16-byte instants, six references); here
/// they cost about half, and the KPI families that scan every activity read the arrays without an object per record.
/// </summary>
/// <remarks>
/// It is also a list of <see cref="Activity"/>: an item read by index is built from the arrays when read (equal to the
/// record added, its instants with their offsets), so code that reads activities as records still works unchanged.
/// </remarks>
public sealed class ActivityColumns : IReadOnlyList<Activity>
{
    private ActivityColumns(Builder b)
    {
        Count = b.Count;
        Ids = b.Ids.Build(Count);
        Types = new ActivityTypeColumn(ColumnArrays.Trim(b.Types, Count));
        Completed = ColumnArrays.Trim(b.Completed, Count);
        Owner = b.Owner.Build(Count);
        Contact = b.Contact.Build(Count);
        Company = b.Company.Build(Count);
        Deal = b.Deal.Build(Count);
        Direction = b.Direction.Build(Count);
        Occurred = b.Occurred.Build(Count);
        Created = b.Created.Build(Count);
        Modified = b.Modified.Build(Count);
        Due = b.Due.Build(Count);
    }

    public int Count { get; }

    /// <summary>The CRM's ids, by position (one block of text, not three million strings).</summary>
    public IdColumn Ids { get; }

    public ActivityTypeColumn Types { get; }

    public bool[] Completed { get; }

    /// <summary>The owner's user id (null: unowned).</summary>
    public StringColumn Owner { get; }

    public StringColumn Contact { get; }

    public StringColumn Company { get; }

    public StringColumn Deal { get; }

    public StringColumn Direction { get; }

    public InstantColumn Occurred { get; }

    public InstantColumn Created { get; }

    public InstantColumn Modified { get; }

    /// <summary>Tasks' due instants (<see cref="InstantColumn.None"/>: no due date).</summary>
    public InstantColumn Due { get; }

    /// <summary>The activity at <paramref name="index"/> as a record, built from the arrays.</summary>
    public Activity this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new Activity(Ids[index], Types[index], Owner[index], Occurred.At(index), Created.At(index), Modified.At(index),
                Contact[index], Company[index], Deal[index], Direction[index], Due.AtOrNull(index), Completed[index]);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The activities as columns: <paramref name="activities"/> itself when it already is, else its records copied.</summary>
    public static ActivityColumns From(IReadOnlyList<Activity> activities)
    {
        if (activities is ActivityColumns columns) return columns;
        var builder = new Builder(activities.Count);
        foreach (var a in activities) builder.Add(a);
        return builder.Build();
    }

    /// <summary>Adds activities one by one (a store reading its rows, a generator), then builds the columns once.</summary>
    public sealed class Builder(int capacity = 1024)
    {
        internal int Count;
        internal readonly IdColumn.Builder Ids = new(capacity);
        internal byte[] Types = new byte[Math.Max(capacity, 16)];
        internal bool[] Completed = new bool[Math.Max(capacity, 16)];
        internal readonly StringColumn.Builder Owner = new(capacity), Contact = new(capacity), Company = new(capacity),
            Deal = new(capacity), Direction = new(capacity);
        internal readonly InstantColumn.Builder Occurred = new(capacity), Created = new(capacity), Modified = new(capacity), Due = new(capacity);

        public void Add(Activity a)
        {
            ArgumentNullException.ThrowIfNull(a);
            if (Count == Types.Length)
            {
                var size = Count * 2;
                Array.Resize(ref Types, size);
                Array.Resize(ref Completed, size);
            }
            // Every type fits a byte (the enum has five); a value that does not is no type at all.
            if ((uint)a.Type > byte.MaxValue) throw new ArgumentException($"Activity '{a.Id}' has type {(int)a.Type}, which is not an activity type.", nameof(a));
            Ids.Add(a.Id);
            Types[Count] = (byte)a.Type;
            Completed[Count] = a.Completed;
            Owner.Add(a.OwnerId);
            Contact.Add(a.ContactId);
            Company.Add(a.CompanyId);
            Deal.Add(a.DealId);
            Direction.Add(a.Direction);
            Occurred.Add(a.OccurredAt);
            Created.Add(a.CreatedAt);
            Modified.Add(a.ModifiedAt);
            Due.Add(a.DueAt);
            Count++;
        }

        public ActivityColumns Build() => new(this);
    }
}

/// <summary>The activities' types, one byte per row (the enum is an int: four).</summary>
public readonly struct ActivityTypeColumn(byte[] types)
{
    public ActivityType this[int row] => (ActivityType)types[row];

    public int Length => types.Length;
}

/// <summary>What the column builders share.</summary>
internal static class ColumnArrays
{
    /// <summary>A builder's array cut to its rows (itself when it fits exactly).</summary>
    public static T[] Trim<T>(T[] array, int count)
    {
        if (array.Length != count) Array.Resize(ref array, count);
        return array;
    }
}

/// <summary>
/// A column of ids, each different (so nothing to share): a <see cref="TextColumn"/> that holds no null (ids are ASCII
/// in practice: one byte per character in one array, a row's id a new string when read).
/// </summary>
public sealed class IdColumn
{
    private readonly TextColumn _text;

    private IdColumn(TextColumn text) => _text = text;

    public string this[int row] => _text[row]!;

    internal sealed class Builder(int capacity)
    {
        private readonly TextColumn.Builder _text = new(capacity, bytesPerRow: 12);

        public void Add(string id)
        {
            ArgumentNullException.ThrowIfNull(id);
            _text.Add(id);
        }

        public IdColumn Build(int count) => new(_text.Build(count));
    }
}

/// <summary>A text column: per row an integer code into <see cref="Values"/> (its distinct values, in order of first
/// appearance, each one string), or <see cref="Null"/>.</summary>
public sealed class StringColumn
{
    private StringColumn(CodeArray codes, string[] values) => (Codes, Values) = (codes, values);

    /// <summary>The code of a missing value.</summary>
    public const int Null = -1;

    /// <summary>The codes per row, as narrow as the number of distinct values allows.</summary>
    public CodeArray Codes { get; }

    public string[] Values { get; }

    public string? this[int row] => Codes[row] is var code and >= 0 ? Values[code] : null;

    internal sealed class Builder(int capacity)
    {
        private int[] _codes = new int[Math.Max(capacity, 16)];
        private int _count;
        private readonly Dictionary<string, int> _code = new(StringComparer.Ordinal);

        /// <summary>The rows added so far.</summary>
        public int Count => _count;
        private readonly List<string> _values = [];

        public void Add(string? value)
        {
            if (_count == _codes.Length) Array.Resize(ref _codes, _count * 2);
            var code = Null;
            if (value is not null)
            {
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_code, value, out var exists);
                if (!exists)
                {
                    slot = _values.Count;
                    _values.Add(value);
                }
                code = slot;
            }
            _codes[_count++] = code;
        }

        public StringColumn Build(int count) => new(CodeArray.Of(_codes.AsSpan(0, count), _values.Count), [.. _values]);
    }
}

/// <summary>
/// A <see cref="StringColumn"/>'s codes, each in as few bytes as the column's distinct values need: one for up to 255
/// (stages, statuses, directions, first names), two for up to 65,535 (owners, last names), three for up to 16,777,215
/// (contact, company and deal ids), else four. Most text columns of a CRM have few values and the id columns under
/// 16 million, so at a million contacts and three million activities this is tens of MB of the snapshot less than an int
/// per row. A row holds code + 1 (0: <see cref="StringColumn.Null"/>) in a <see cref="NarrowInts"/>. A struct, so that a
/// loop's local copy keeps its fields in registers.
/// </summary>
public readonly struct CodeArray : IEnumerable<int>
{
    private readonly NarrowInts _codes;

    private CodeArray(NarrowInts codes) => _codes = codes;

    /// <summary>The code of a row (<see cref="StringColumn.Null"/>: none).</summary>
    public int this[int row] => (int)_codes[row] - 1;

    public int Length => _codes.Length;

    /// <summary>The bytes a row takes: 1 to 4.</summary>
    public int Width => _codes.Width;

    /// <summary>The codes as narrow as <paramref name="distinct"/> values allow (codes from <see cref="StringColumn.Null"/>
    /// to distinct − 1).</summary>
    internal static CodeArray Of(ReadOnlySpan<int> codes, int distinct)
    {
        var stored = new NarrowInts(codes.Length, NarrowInts.WidthFor((ulong)Math.Max(distinct, 0)));
        for (var i = 0; i < codes.Length; i++) stored.Set(i, (uint)(codes[i] + 1));
        return new CodeArray(stored);
    }

    public IEnumerator<int> GetEnumerator()
    {
        for (var i = 0; i < Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>An instant column: per row the UTC ticks (<see cref="None"/> when missing), as narrow as the column's values
/// allow (<see cref="InstantArray"/>), and, only when some row has one, the offset in minutes (so that a row reads back as
/// the very <see cref="DateTimeOffset"/> it was).</summary>
public sealed class InstantColumn
{
    private readonly short[]? _offsetMinutes;

    private InstantColumn(InstantArray utcTicks, short[]? offsetMinutes) => (UtcTicks, _offsetMinutes) = (utcTicks, offsetMinutes);

    /// <summary>The ticks of a missing instant (smaller than any real one).</summary>
    public const long None = long.MinValue;

    /// <summary>UTC ticks per row: compared as <see cref="DateTimeOffset"/> compares instants.</summary>
    public InstantArray UtcTicks { get; }

    public DateTimeOffset At(int row)
    {
        var offset = _offsetMinutes is null ? TimeSpan.Zero : TimeSpan.FromMinutes(_offsetMinutes[row]);
        return new DateTimeOffset(UtcTicks[row] + offset.Ticks, offset);
    }

    public DateTimeOffset? AtOrNull(int row) => UtcTicks[row] == None ? null : At(row);

    internal sealed class Builder(int capacity)
    {
        private long[] _ticks = new long[Math.Max(capacity, 16)];
        private short[]? _offsets;
        private int _count;

        public void Add(DateTimeOffset? at)
        {
            if (_count == _ticks.Length)
            {
                Array.Resize(ref _ticks, _count * 2);
                if (_offsets is not null) Array.Resize(ref _offsets, _count * 2);
            }
            _ticks[_count] = at?.UtcTicks ?? None;
            if (at is { Offset: var offset } && offset != TimeSpan.Zero)
            {
                _offsets ??= new short[_ticks.Length];
                _offsets[_count] = (short)offset.TotalMinutes;
            }
            _count++;
        }

        public InstantColumn Build(int count)
        {
            if (_offsets is not null && _offsets.Length != count) Array.Resize(ref _offsets, count);
            return new InstantColumn(InstantArray.Of(_ticks.AsSpan(0, count)), _offsets);
        }
    }
}

/// <summary>
/// An <see cref="InstantColumn"/>'s UTC ticks, each in as few bytes as the column's values need, as
/// <see cref="CodeArray"/> holds codes: per column a base (its smallest instant) and a unit (the coarsest of a second, a
/// millisecond and a tick that divides every instant's distance from the base: CRMs give seconds (Salesforce) or
/// milliseconds (HubSpot)); a row holds (ticks − base) / unit + 1 (0: <see cref="InstantColumn.None"/>) in a
/// <see cref="NarrowInts"/> of 1 to 8 bytes. Instants at whole seconds over up to 136 years take four bytes instead of
/// eight; a column at tick precision over centuries takes all eight (the ticks themselves, less the base). A struct, so
/// that a loop's local copy keeps its fields in registers; read as a <c>long[]</c> of ticks was.
/// </summary>
public readonly struct InstantArray
{
    private readonly NarrowInts _stored;
    /// <summary>The base less one unit: a stored value s ≥ 1 reads as <c>_origin + s × _unit</c>.</summary>
    private readonly long _origin;
    private readonly long _unit;

    private InstantArray(NarrowInts stored, long origin, long unit) => (_stored, _origin, _unit) = (stored, origin, unit);

    /// <summary>The UTC ticks of a row (<see cref="InstantColumn.None"/>: none).</summary>
    public long this[int row] => _stored[row] is var stored && stored == 0 ? InstantColumn.None : _origin + (long)stored * _unit;

    public int Length => _stored.Length;

    /// <summary>The bytes a row takes: 1 to 8.</summary>
    public int Width => _stored.Width;

    /// <summary>The ticks one step of a stored value stands for: a second (10,000,000), a millisecond (10,000) or 1.</summary>
    public long Unit => _unit;

    private const long Second = TimeSpan.TicksPerSecond, Millisecond = TimeSpan.TicksPerMillisecond;

    /// <summary>The ticks as narrow as their values allow (each a <see cref="DateTimeOffset.UtcTicks"/> or
    /// <see cref="InstantColumn.None"/>).</summary>
    internal static InstantArray Of(ReadOnlySpan<long> ticks)
    {
        // Every instant is 0 to DateTime.MaxValue ticks (a DateTimeOffset's): a distance from the base, plus one, fits 63 bits.
        long min = long.MaxValue, max = long.MinValue;
        long secondRest = -1, milliRest = -1; // every instant's remainder in the unit, while they agree (−2: they do not)
        foreach (var t in ticks)
        {
            if (t == InstantColumn.None) continue;
            if (t < min) min = t;
            if (t > max) max = t;
            secondRest = Agree(secondRest, t % Second);
            milliRest = Agree(milliRest, t % Millisecond);
        }
        long unit = 1, top = 0;
        if (min <= max)
        {
            unit = secondRest >= 0 ? Second : milliRest >= 0 ? Millisecond : 1;
            top = (max - min) / unit + 1;
        }
        else min = 0; // no instant at all: every row None
        var stored = new NarrowInts(ticks.Length, NarrowInts.WidthFor((ulong)top));
        for (var i = 0; i < ticks.Length; i++)
        {
            if (ticks[i] != InstantColumn.None) stored.Set(i, (ulong)((ticks[i] - min) / unit + 1));
        }
        return new InstantArray(stored, min - unit, unit);
    }

    private static long Agree(long rest, long value) => rest == -1 ? value : rest == value ? rest : -2;
}
