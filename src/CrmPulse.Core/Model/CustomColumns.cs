namespace CrmPulse.Core.Model;

/// <summary>
/// The custom fields (<see cref="CrmRecord.Custom"/>) of a column set's rows (<see cref="ContactColumns"/>,
/// <see cref="CompanyColumns"/>, <see cref="DealColumns"/>) held as columns instead of a <see cref="CompactFields"/> per
/// row: per field name a <see cref="StringColumn"/> of its values (each distinct value one shared string; a row without
/// the field reads null), and per row a code into a small table of the distinct key lists (which fields the row has, in
/// its order). A row reads back the very fields, order and values it had, a field present with a null value apart from
/// a field absent. At a million contacts of which 30 % have a city and a postcode this is 8 MB instead of 48 MB of small
/// objects and strings. A field costs one to three bytes on every row, present or not: fit for the few fields a source
/// pulls (<c>CustomFields</c>), less so for many fields each on a few rows.
/// </summary>
public sealed class CustomColumns
{
    private readonly Dictionary<string, int> _fieldIndex;
    private readonly StringColumn[] _fields;
    // Per row the code of its key list (StringColumn.Null: no fields); per key list its field indexes and its keys.
    private readonly CodeArray _lists;
    private readonly int[][] _listFields;
    private readonly string[][] _listKeys;

    private CustomColumns(Dictionary<string, int> fieldIndex, StringColumn[] fields, CodeArray lists, int[][] listFields, string[][] listKeys) =>
        (_fieldIndex, _fields, _lists, _listFields, _listKeys) = (fieldIndex, fields, lists, listFields, listKeys);

    /// <summary>A field's values by row (null where the row has no such field or its value is null), or null when no row
    /// has the field: a scan looks a field up once and reads its rows without a dictionary per row.</summary>
    public StringColumn? Column(string name) => _fieldIndex.TryGetValue(name, out var at) ? _fields[at] : null;

    /// <summary>The row's fields as a dictionary, in their order (<see cref="CrmRecord.EmptyFields"/> when none).</summary>
    public IReadOnlyDictionary<string, string?> Row(int row)
    {
        if (_lists[row] is not (>= 0 and var list)) return CrmRecord.EmptyFields;
        var fields = _listFields[list];
        var values = new string?[fields.Length];
        for (var i = 0; i < fields.Length; i++) values[i] = _fields[fields[i]][row];
        return new CompactFields(_listKeys[list], values);
    }

    /// <summary>Adds each row's fields in turn (the column sets' builders call it once per row), then builds the columns once.</summary>
    internal sealed class Builder(int capacity)
    {
        private readonly Dictionary<string, int> _fieldIndex = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];
        private readonly List<StringColumn.Builder> _fields = [];
        // A key list as text, a character per field index, so that a row's list is looked up without a string of it.
        private readonly Dictionary<string, int> _listCode = new(StringComparer.Ordinal);
        private readonly List<int[]> _listFields = [];
        private readonly List<string[]> _listKeys = [];
        private int[]? _lists;
        private int _count;
        private char[] _scratch = new char[16];

        public void Add(IReadOnlyDictionary<string, string?> custom)
        {
            ArgumentNullException.ThrowIfNull(custom);
            var row = _count++;
            if (custom.Count == 0)
            {
                if (_lists is not null) Set(row, StringColumn.Null);
                return;
            }
            if (_scratch.Length < custom.Count) _scratch = new char[Math.Max(custom.Count, _scratch.Length * 2)];
            var n = 0;
            foreach (var (key, value) in custom)
            {
                ArgumentNullException.ThrowIfNull(key);
                if (!_fieldIndex.TryGetValue(key, out var at))
                {
                    // A key list holds a char per field index: beyond that many names, say so rather than mix two up.
                    if (_names.Count > char.MaxValue)
                    {
                        throw new InvalidOperationException($"More than {char.MaxValue + 1} distinct custom field names (at '{key}', row {row}).");
                    }
                    at = _names.Count;
                    _fieldIndex.Add(key, at);
                    _names.Add(key);
                    _fields.Add(new StringColumn.Builder(capacity));
                }
                var field = _fields[at];
                // A field met first on a late row: null on the rows before.
                while (field.Count < row) field.Add(null);
                if (field.Count > row) throw new ArgumentException($"The custom field '{key}' is given twice in row {row}.", nameof(custom));
                field.Add(value);
                _scratch[n++] = (char)at;
            }
            var lookup = _listCode.GetAlternateLookup<ReadOnlySpan<char>>();
            var text = _scratch.AsSpan(0, n);
            if (!lookup.TryGetValue(text, out var code))
            {
                code = _listFields.Count;
                var fields = new int[n];
                var keys = new string[n];
                for (var i = 0; i < n; i++) (fields[i], keys[i]) = (text[i], _names[text[i]]);
                _listFields.Add(fields);
                _listKeys.Add(keys);
                lookup[text] = code;
            }
            Set(row, code);
        }

        private void Set(int row, int code)
        {
            if (_lists is null)
            {
                // Until a row has fields there is nothing to hold: the rows before have none.
                _lists = new int[Math.Max(capacity, row + 1)];
                Array.Fill(_lists, StringColumn.Null, 0, row);
            }
            else if (row >= _lists.Length) Array.Resize(ref _lists, Math.Max(row + 1, _lists.Length * 2));
            _lists[row] = code;
        }

        /// <summary>The columns of the <paramref name="count"/> rows added (null when no row has a field). Every row since
        /// the first with fields has its key list set, so <c>_lists</c> covers them all.</summary>
        public CustomColumns? Build(int count)
        {
            if (_lists is null) return null;
            var fields = new StringColumn[_fields.Count];
            for (var f = 0; f < fields.Length; f++)
            {
                while (_fields[f].Count < count) _fields[f].Add(null);
                fields[f] = _fields[f].Build(count);
            }
            return new CustomColumns(new Dictionary<string, int>(_fieldIndex, StringComparer.Ordinal), fields,
                CodeArray.Of(_lists.AsSpan(0, count), _listFields.Count), [.. _listFields], [.. _listKeys]);
        }
    }
}
