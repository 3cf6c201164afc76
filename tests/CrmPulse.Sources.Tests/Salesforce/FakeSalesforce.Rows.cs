using System.Globalization;
using System.Text.Json;

namespace CrmPulse.Sources.Tests.Salesforce;

internal sealed partial class FakeSalesforce
{
    private static object? ValueAt(Dictionary<string, object?> row, string path)
    {
        object? current = row;
        foreach (var part in path.Split('.'))
        {
            if (current is not Dictionary<string, object?> map || !map.TryGetValue(part, out current)) return null;
        }
        return current;
    }

    private static bool Matches(Dictionary<string, object?> row, FakeSoqlCondition c)
    {
        var value = ValueAt(row, c.Field);
        if (c.Op == "IN") return c.Values.Any(v => Compare(value, v) == 0);
        var literal = c.Values[0];
        if (literal.Kind == FakeSoqlKind.Null) return c.Op == "=" ? value is null : c.Op == "!=" && value is not null;
        if (value is null) return c.Op == "!=";
        var cmp = Compare(value, literal);
        if (cmp is null) return false;
        return c.Op switch
        {
            "=" => cmp == 0,
            "!=" => cmp != 0,
            "<" => cmp < 0,
            "<=" => cmp <= 0,
            ">" => cmp > 0,
            _ => cmp >= 0,
        };
    }

    /// <summary>Compares a row's value with a literal of the literal's type; null when they cannot be compared.</summary>
    private static int? Compare(object? value, FakeSoqlValue literal) => literal.Kind switch
    {
        FakeSoqlKind.DateTime when value is string s && TryTime(s, out var t) => t.CompareTo(literal.Time),
        FakeSoqlKind.Text when value is string s => string.CompareOrdinal(s, literal.Text),
        FakeSoqlKind.Bool when value is bool b => b.CompareTo(literal.Text == "true"),
        FakeSoqlKind.Number when value is decimal d => d.CompareTo(decimal.Parse(literal.Text!, CultureInfo.InvariantCulture)),
        _ => null,
    };

    private static bool TryTime(string s, out DateTimeOffset t)
    {
        if (s.Length == 10) return DateTimeOffset.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out t);
        // Salesforce's "+0000" offset, given the colon .NET wants.
        var text = s.Length > 5 && s[^5] is '+' or '-' ? s[..^2] + ":" + s[^2..] : s;
        return DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out t);
    }

    private static int Compare(Dictionary<string, object?> a, Dictionary<string, object?> b, IReadOnlyList<(string Field, bool Descending)> order)
    {
        foreach (var (field, descending) in order)
        {
            var x = ValueAt(a, field);
            var y = ValueAt(b, field);
            // Salesforce sorts nulls first in ascending order.
            var cmp = (x, y) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                (string s, string t) => string.CompareOrdinal(s, t),
                (decimal d, decimal e) => d.CompareTo(e),
                (bool p, bool q) => p.CompareTo(q),
                _ => 0,
            };
            if (cmp != 0) return descending ? -cmp : cmp;
        }
        return 0;
    }

    /// <summary>The selected fields of a row as Salesforce returns them: attributes first, empty lookups as null,
    /// relationship paths as nested objects with their own attributes, an empty child sub-query as null.</summary>
    private static Dictionary<string, object?> Project(Dictionary<string, object?> row, FakeSoql query, string version)
    {
        var id = (string?)row.GetValueOrDefault("Id");
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["attributes"] = new Dictionary<string, object?> { ["type"] = query.Object, ["url"] = $"/services/data/{version}/sobjects/{query.Object}/{id}" },
        };
        foreach (var field in query.Fields) Put(result, row, field.Split('.'));
        foreach (var child in query.Children)
        {
            var rows = row.GetValueOrDefault(child.Object) as List<object?>;
            result[child.Object] = rows is not { Count: > 0 } ? null : new Dictionary<string, object?>
            {
                ["totalSize"] = (decimal)rows.Count,
                ["done"] = true,
                ["records"] = rows.Cast<Dictionary<string, object?>>().Select(r => (object?)Project(r, child, version)).ToList(),
            };
        }
        return result;
    }

    private static void Put(Dictionary<string, object?> target, Dictionary<string, object?> source, string[] path)
    {
        var head = path[0];
        var value = source.GetValueOrDefault(head);
        if (path.Length == 1)
        {
            target[head] = value is Dictionary<string, object?> or List<object?> ? null : value;
            return;
        }
        if (value is not Dictionary<string, object?> nested)
        {
            target[head] = null;
            return;
        }
        if (target.GetValueOrDefault(head) is not Dictionary<string, object?> into)
        {
            into = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (nested.TryGetValue("attributes", out var attributes)) into["attributes"] = attributes;
            target[head] = into;
        }
        Put(into, nested, path[1..]);
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case decimal d: w.WriteNumberValue(d); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case Dictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (k, v) in map) { w.WritePropertyName(k); WriteValue(w, v); }
                w.WriteEndObject();
                break;
            case System.Collections.IEnumerable list:
                w.WriteStartArray();
                foreach (var v in list) WriteValue(w, v);
                w.WriteEndArray();
                break;
            default: throw new InvalidOperationException($"cannot write {value.GetType()}");
        }
    }
}
