using System.Collections;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// The issues of a pass as compact rows: KPI, object, team and field as one shared kind number (two bytes), the record
/// (a string the records already hold) and the owner (its number in the chunk), and the detail as a code and its arguments (<see cref="IssueText"/>) or a text.
/// Rows live in column arrays, in chunks, so a pass with millions of issues holds no object per issue; a
/// <see cref="RecordIssue"/> is made only when one is read (<see cref="this[int]"/>), and the stores write the rows
/// as they are (<see cref="Rows"/>).
/// </summary>
/// <remarks>Not thread-safe: each family (or each part of a family's scan) writes its own buffer, and
/// <see cref="AddRange"/> joins them without copying rows.</remarks>
public sealed class IssueBuffer : IReadOnlyList<RecordIssue>
{
    // Chunks grow from 256 rows to 8,192 (every column array then stays under the large-object heap's 85,000 bytes),
    // so a family with a handful of issues does not hold a large empty chunk.
    private const int FirstChunkRows = 256;
    private const int MaxChunkRows = 8192;

    // The code of a row whose detail is a shared IssueText (its number in the chunk's table); never stored.
    private const byte SharedText = byte.MaxValue;

    private readonly List<Chunk> _chunks = [];
    private int _count;
    private int[]? _starts; // the first row of each chunk, for reading by index; rebuilt after a change
    // The owners' numbers in the last chunk (Chunk.Owner): one table per buffer, emptied when a chunk starts, not one per
    // chunk (that allocated 70 MB a pass at a million contacts).
    private readonly Dictionary<string, ushort> _ownerNumbers = new(StringComparer.Ordinal);

    public int Count => _count;

    /// <summary>An issue whose detail is a text (or none).</summary>
    public void Add(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, string? detail)
    {
        var (chunk, i) = NextRow(IssueKinds.Of(kpi, objectType, team, field), recordId, ownerId);
        if (detail is not null) (chunk.A ??= new string?[chunk.Capacity])[i] = detail;
    }

    /// <summary>An issue whose detail is written out from <paramref name="code"/> and its arguments when read (see
    /// <see cref="IssueText"/> for what each argument means per code).</summary>
    public void Add(string kpi, string objectType, string recordId, string? ownerId, string team, string? field,
        IssueCode code, string? a = null, string? b = null, long m = 0, long n = 0, double x = 0, double y = 0)
    {
        var (chunk, i) = NextRow(IssueKinds.Of(kpi, objectType, team, field), recordId, ownerId);
        (chunk.Code ??= new byte[chunk.Capacity])[i] = (byte)code;
        if (a is not null) (chunk.A ??= new string?[chunk.Capacity])[i] = a;
        if (b is not null) (chunk.B ??= new string?[chunk.Capacity])[i] = b;
        if (m != 0) (chunk.M ??= new long[chunk.Capacity])[i] = m;
        if (n != 0) (chunk.N ??= new long[chunk.Capacity])[i] = n;
        if (x != 0) (chunk.X ??= new double[chunk.Capacity])[i] = x;
        if (y != 0) (chunk.Y ??= new double[chunk.Capacity])[i] = y;
    }

    /// <summary>An issue whose detail is written out from <paramref name="code"/> when read, with the texts of row
    /// <paramref name="row"/> of columns <paramref name="a"/> and <paramref name="b"/> (null: none) as its arguments A and
    /// B: the row keeps the row number (4 bytes), not a string per issue, so the issues of validity hold no copy of the
    /// e-mails and phones they quote (the columns are immutable, and each string is made again when read). The buffer
    /// keeps the columns alive as long as it is held: the snapshot's, which a pass holds anyway.</summary>
    public void Add(string kpi, string objectType, string recordId, string? ownerId, string team, string? field,
        IssueCode code, TextColumn a, TextColumn? b, int row)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        var (chunk, i) = NextRow(IssueKinds.Of(kpi, objectType, team, field), recordId, ownerId, (a, b));
        (chunk.Code ??= new byte[chunk.Capacity])[i] = (byte)code;
        (chunk.ColumnRow ??= new int[chunk.Capacity])[i] = row + 1;
    }

    /// <summary>An issue whose detail is written out from <paramref name="text"/> when read (its code and arguments
    /// are copied into the row; the object is not kept).</summary>
    public void Add(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, IssueText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Add(kpi, objectType, recordId, ownerId, team, field, text.Code, text.A, text.B, text.M, text.N, text.X, text.Y);
    }

    /// <summary>An issue whose detail is <paramref name="text"/>, an instance that many issues share (such as the
    /// funnel's one per lifecycle stage and lead source): the row holds the text's number in its chunk (4 bytes), not its
    /// arguments. Use <see cref="Add(string, string, string, string?, string, string?, IssueText)"/> for a text made
    /// for one issue: each distinct instance is kept.</summary>
    public void AddShared(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, IssueText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (chunk, i) = NextRow(IssueKinds.Of(kpi, objectType, team, field), recordId, ownerId);
        (chunk.Code ??= new byte[chunk.Capacity])[i] = SharedText;
        (chunk.TextIndex ??= new ushort[chunk.Capacity])[i] = chunk.IndexOf(text);
    }

    /// <summary>Adds <paramref name="issue"/> as a row (its detail kept as a code when it holds one).</summary>
    public void Add(RecordIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        if (issue.CompactDetail() is { } text) Add(issue.Kpi, issue.Object, issue.RecordId, issue.OwnerId, issue.Team, issue.Field, text);
        else Add(issue.Kpi, issue.Object, issue.RecordId, issue.OwnerId, issue.Team, issue.Field, issue.Detail);
    }

    /// <summary>Appends the rows of <paramref name="other"/> without copying them: both buffers then share its chunks,
    /// which neither adds to any more (a buffer's next row starts a chunk of its own; a chunk not full is trimmed to its
    /// rows, as a pass joins many parts whose last chunks are partly empty).</summary>
    public void AddRange(IssueBuffer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this)) throw new ArgumentException("A buffer cannot append itself.", nameof(other));
        foreach (var chunk in other._chunks)
        {
            if (!chunk.Sealed) chunk.Seal();
            _chunks.Add(chunk);
        }
        _count += other._count;
        _starts = null;
    }

    /// <summary>The rows whose KPI and object <paramref name="keep"/> accepts (asked once per kind), in order.</summary>
    public IssueBuffer Where(Func<string, string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var kept = new Dictionary<int, bool>();
        var result = new IssueBuffer();
        foreach (var chunk in _chunks)
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                var kindId = chunk.Kind[i];
                if (!kept.TryGetValue(kindId, out var yes))
                {
                    var kind = IssueKinds.Get(kindId);
                    kept[kindId] = yes = keep(kind.Kpi, kind.Object);
                }
                if (!yes) continue;
                var fromColumns = chunk.ColumnRow?[i] > 0;
                var (to, j) = result.NextRow(kindId, chunk.RecordId[i], chunk.OwnerAt(i), fromColumns ? chunk.Columns : default);
                if (chunk.Code is { } code && code[i] == SharedText)
                {
                    (to.Code ??= new byte[to.Capacity])[j] = SharedText;
                    (to.TextIndex ??= new ushort[to.Capacity])[j] = to.IndexOf(chunk.Texts![chunk.TextIndex![i]]);
                    continue;
                }
                if (fromColumns) (to.ColumnRow ??= new int[to.Capacity])[j] = chunk.ColumnRow![i];
                if (chunk.Code is { } code2 && code2[i] != 0) (to.Code ??= new byte[to.Capacity])[j] = code2[i];
                if (chunk.A?[i] is { } a) (to.A ??= new string?[to.Capacity])[j] = a;
                if (chunk.B?[i] is { } b) (to.B ??= new string?[to.Capacity])[j] = b;
                if (chunk.M is { } m && m[i] != 0) (to.M ??= new long[to.Capacity])[j] = m[i];
                if (chunk.N is { } n && n[i] != 0) (to.N ??= new long[to.Capacity])[j] = n[i];
                if (chunk.X is { } x && x[i] != 0) (to.X ??= new double[to.Capacity])[j] = x[i];
                if (chunk.Y is { } y && y[i] != 0) (to.Y ??= new double[to.Capacity])[j] = y[i];
            }
        }
        return result;
    }

    /// <summary><paramref name="issues"/> as a buffer: itself when it is one, else its issues as rows.</summary>
    public static IssueBuffer From(IReadOnlyList<RecordIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        if (issues is IssueBuffer buffer) return buffer;
        var result = new IssueBuffer();
        foreach (var issue in issues) result.Add(issue);
        return result;
    }

    /// <summary>The rows in order, as values (no object per row).</summary>
    public IEnumerable<IssueRow> Rows()
    {
        foreach (var chunk in _chunks)
        {
            for (var i = 0; i < chunk.Count; i++) yield return chunk.Row(i);
        }
    }

    /// <summary>Row <paramref name="index"/> as an issue (made when read; its text is written out when its
    /// <see cref="RecordIssue.Detail"/> is read).</summary>
    public RecordIssue this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            var starts = _starts ??= Starts();
            var c = Array.BinarySearch(starts, index);
            if (c < 0) c = ~c - 1;
            // Empty chunks share their start with the next one: take the last chunk starting at or before the row.
            while (c + 1 < starts.Length && starts[c + 1] <= index) c++;
            return _chunks[c].Row(index - starts[c]).ToIssue();
        }
    }

    public IEnumerator<RecordIssue> GetEnumerator()
    {
        foreach (var row in Rows()) yield return row.ToIssue();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int[] Starts()
    {
        var starts = new int[_chunks.Count];
        for (int c = 0, start = 0; c < _chunks.Count; start += _chunks[c].Count, c++) starts[c] = start;
        return starts;
    }

    /// <param name="columns">The columns a row's arguments are read from (<see cref="Chunk.Columns"/>), or none: a
    /// chunk reads one pair, so a row that names another pair starts a chunk.</param>
    private (Chunk Chunk, int Index) NextRow(ushort kind, string recordId, string? ownerId, (TextColumn? A, TextColumn? B) columns = default)
    {
        var chunk = _chunks.Count == 0 ? null : _chunks[^1];
        var otherColumns = columns.A is not null && chunk?.Columns.A is not null
            && (!ReferenceEquals(chunk.Columns.A, columns.A) || !ReferenceEquals(chunk.Columns.B, columns.B));
        if (chunk is null || chunk.Count == chunk.Capacity || chunk.Sealed || otherColumns)
        {
            chunk?.DoneAdding();
            _ownerNumbers.Clear();
            chunk = new Chunk(chunk is null ? FirstChunkRows : Math.Min(Math.Max(chunk.Capacity, FirstChunkRows / 2) * 2, MaxChunkRows));
            _chunks.Add(chunk);
        }
        if (columns.A is not null) chunk.Columns = columns;
        var i = chunk.Count++;
        chunk.Kind[i] = kind;
        chunk.RecordId[i] = recordId;
        if (ownerId is not null) (chunk.Owner ??= new ushort[chunk.Capacity])[i] = chunk.OwnerNumber(ownerId, _ownerNumbers);
        _count++;
        _starts = null;
        return (chunk, i);
    }

    /// <summary>A block of rows, one array per column; the columns a block never uses are never allocated.</summary>
    private sealed class Chunk(int capacity)
    {
        public int Count;
        public bool Sealed; // shared with another buffer: read-only from then on
        public int Capacity = capacity;
        public ushort[] Kind = new ushort[capacity]; // IssueKinds number (a process has a few hundred)
        public string[] RecordId = new string[capacity];
        // 1 + the owner's number in Owners (0: none): a chunk's rows name a few hundred owners at most (and never more
        // than its 8,192 rows), so two bytes a row instead of a reference (8 bytes) each.
        public ushort[]? Owner;
        public List<string>? Owners;
        public byte[]? Code;
        public string?[]? A; // the text when the row has no code, else the code's first argument
        public string?[]? B;
        public long[]? M, N;
        public double[]? X, Y;
        public ushort[]? TextIndex; // a shared text's number in Texts (a chunk holds at most 8,192 rows, so as many texts)
        public (TextColumn? A, TextColumn? B) Columns; // where the rows with a ColumnRow read their arguments A and B
        public int[]? ColumnRow; // 1 + the row of Columns holding the row's arguments; 0: the row holds its own
        public List<IssueText>? Texts;
        private Dictionary<IssueText, ushort>? _textNumbers; // by instance: finding one costs no text comparison

        /// <summary>Makes the chunk read-only, its columns cut to the rows it holds.</summary>
        public void Seal()
        {
            Sealed = true;
            DoneAdding();
            if (Count == Capacity) return;
            (Capacity, Kind, RecordId, Owner, Code, A, B) = (Count, Kind[..Count], RecordId[..Count], Fit(Owner), Fit(Code), Fit(A), Fit(B));
            (M, N, X, Y, TextIndex, ColumnRow) = (Fit(M), Fit(N), Fit(X), Fit(Y), Fit(TextIndex), Fit(ColumnRow));
        }

        /// <summary>Drops what only adding rows needs (the chunk is full or sealed).</summary>
        public void DoneAdding() => _textNumbers = null;

        public string? OwnerAt(int i) => Owner?[i] is > 0 and var n ? Owners![n - 1] : null;

        /// <param name="numbers">The numbers of this chunk's owners (the buffer's table, which holds this chunk's only).</param>
        public ushort OwnerNumber(string owner, Dictionary<string, ushort> numbers)
        {
            if (numbers.TryGetValue(owner, out var n)) return n;
            (Owners ??= []).Add(owner);
            return numbers[owner] = (ushort)Owners.Count;
        }

        private T[]? Fit<T>(T[]? column) => column?[..Count];

        public ushort IndexOf(IssueText text)
        {
            var numbers = _textNumbers ??= new Dictionary<IssueText, ushort>(ReferenceEqualityComparer.Instance);
            if (numbers.TryGetValue(text, out var n)) return n;
            (Texts ??= []).Add(text);
            return numbers[text] = (ushort)(Texts.Count - 1);
        }

        public IssueRow Row(int i)
        {
            var kind = IssueKinds.Get(Kind[i]);
            if (Code?[i] == SharedText)
            {
                var t = Texts![TextIndex![i]];
                return new IssueRow(kind.Kpi, kind.Object, RecordId[i], OwnerAt(i), kind.Team, kind.Field, t.Code, t.A, t.B, t.M, t.N, t.X, t.Y);
            }
            if (ColumnRow?[i] is > 0 and var row)
            {
                return new IssueRow(kind.Kpi, kind.Object, RecordId[i], OwnerAt(i), kind.Team, kind.Field, (IssueCode)Code![i],
                    Columns.A![row - 1], Columns.B?[row - 1], 0, 0, 0, 0);
            }
            return new IssueRow(kind.Kpi, kind.Object, RecordId[i], OwnerAt(i), kind.Team, kind.Field, (IssueCode)(Code?[i] ?? 0),
                A?[i], B?[i], M?[i] ?? 0, N?[i] ?? 0, X?[i] ?? 0, Y?[i] ?? 0);
        }
    }
}

/// <summary>
/// One issue row of an <see cref="IssueBuffer"/>. <see cref="Code"/> 0 means the detail is a text (<see cref="A"/>,
/// null for none); otherwise the detail is written out from the code and <see cref="A"/>…<see cref="Y"/>.
/// </summary>
public readonly record struct IssueRow(string Kpi, string Object, string RecordId, string? OwnerId, string Team, string? Field,
    IssueCode Code, string? A, string? B, long M, long N, double X, double Y)
{
    /// <summary>True when the detail is a code and its arguments.</summary>
    public bool HasCode => Code != 0;

    /// <summary>The detail's code and arguments, or null when it is a text.</summary>
    public IssueText? CompactDetail() => HasCode ? new IssueText(Code, A, B, M, N, X, Y) : null;

    /// <summary>The detail as the API shows it (written out from the code when it has one).</summary>
    public string? Detail() => HasCode ? new IssueText(Code, A, B, M, N, X, Y).ToString() : A;

    public RecordIssue ToIssue() => HasCode
        ? new RecordIssue(Kpi, Object, RecordId, OwnerId, Team, Field, new IssueText(Code, A, B, M, N, X, Y))
        : new RecordIssue(Kpi, Object, RecordId, OwnerId, Team, Field, A);
}

/// <summary>The kinds of issue (KPI, object, team, field) as small numbers shared by every buffer of the process: a
/// pass has a few hundred. Found again by the identity of the strings (the families pass the same few instances
/// millions of times) in a cache per thread, then by value.</summary>
internal static class IssueKinds
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string, string, string, string?), ushort> ByValue = [];
    private static Kind[] _all = new Kind[64];
    private static int _count;

    [ThreadStatic]
    private static Dictionary<Key, ushort>? _cache;

    public sealed record Kind(string Kpi, string Object, string Team, string? Field);

    /// <summary>The number of a kind: two bytes in every issue row, so at most 65,536 kinds in a process (teams times
    /// fields times KPIs; a pass has a few hundred).</summary>
    public static ushort Of(string kpi, string objectType, string team, string? field)
    {
        var cache = _cache ??= [];
        var key = new Key(kpi, objectType, team, field);
        if (cache.TryGetValue(key, out var id)) return id;
        if (cache.Count >= 4096) cache.Clear(); // bounded: equal strings that are different instances only miss it
        lock (Gate)
        {
            if (!ByValue.TryGetValue((kpi, objectType, team, field), out id))
            {
                if (_count > ushort.MaxValue)
                {
                    throw new InvalidOperationException($"Too many kinds of issue in this process: issue '{kpi}' on {objectType} " +
                        $"(team '{team}', field '{field}') would be kind number {_count + 1:N0}, and issue rows hold at most " +
                        $"{ushort.MaxValue + 1:N0} (a kind is a KPI, an object, a team and a field: are teams or fields generated per record?).");
                }
                if (_count == _all.Length)
                {
                    var grown = new Kind[_count * 2];
                    Array.Copy(_all, grown, _count);
                    Volatile.Write(ref _all, grown);
                }
                id = (ushort)_count;
                _all[id] = new Kind(kpi, objectType, team, field);
                Volatile.Write(ref _count, id + 1);
                ByValue[(kpi, objectType, team, field)] = id;
            }
        }
        return cache[key] = id;
    }

    // A kind once numbered is never moved or changed, so reading needs no lock: an id handed out is in the array
    // published no earlier than it (the array is replaced only by a copy that holds every earlier kind).
    public static Kind Get(int id) => Volatile.Read(ref _all)[id];

    private readonly struct Key(string kpi, string obj, string team, string? field) : IEquatable<Key>
    {
        private readonly string _kpi = kpi, _obj = obj, _team = team;
        private readonly string? _field = field;

        public bool Equals(Key other) =>
            ReferenceEquals(_kpi, other._kpi) && ReferenceEquals(_obj, other._obj) && ReferenceEquals(_team, other._team) && ReferenceEquals(_field, other._field);

        public override bool Equals(object? obj) => obj is Key other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_kpi), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_obj),
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_team), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_field));
    }
}
