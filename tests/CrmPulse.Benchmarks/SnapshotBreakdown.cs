using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using CrmPulse.Core.Model;

namespace CrmPulse.Benchmarks;

/// <summary>
/// The snapshot's managed heap per column (<c>--snapshot-breakdown</c>): walks the objects each list and each of its
/// fields reaches, by reflection, and sums their sizes as the runtime lays them out on 64 bits (an object's 16-byte
/// header and its fields, an array's 24 bytes and its elements, each rounded up to 8 bytes). An object reached twice
/// (a string shared by two columns) counts once, where it is first reached: lists in the order of the snapshot, fields
/// in declaration order. The total is an estimate, printed beside the GC's figure for the whole heap.
/// </summary>
internal static class SnapshotBreakdown
{
    public static void Print(CrmSnapshot snapshot, long snapshotHeap)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var total = 0L;
        Console.WriteLine("Snapshot heap per column (MB of 2^20 bytes, as above; a shared object counts where first reached):");
        foreach (var (list, items) in new (string, object)[]
                 {
                     ("users", snapshot.Users), ("logins", snapshot.Logins), ("companies", snapshot.Companies),
                     ("contacts", snapshot.Contacts), ("deals", snapshot.Deals), ("activities", snapshot.Activities),
                 })
        {
            var listBytes = Self(items, seen);
            var lines = new List<string>();
            foreach (var field in Fields(items.GetType()))
            {
                if (!HoldsReferences(field) || field.GetValue(items) is not { } value) continue;
                var name = Name(field);
                // A column: its arrays apart (codes against the table of values, text against starts).
                var parts = IsColumn(value) ? Fields(value.GetType()).Where(HoldsReferences).ToList() : null;
                var bytes = field.FieldType.IsValueType ? 0 : Self(value, seen);
                var detail = new List<string>();
                if (parts is not null)
                {
                    foreach (var part in parts)
                    {
                        var partBytes = part.GetValue(value) is not { } p ? 0 : part.FieldType.IsValueType ? Inner(p, true, seen) : Reach(p, seen);
                        bytes += partBytes;
                        if (partBytes > 0) detail.Add($"{Name(part)} {Mb(partBytes)}");
                    }
                }
                else bytes += Inner(value, field.FieldType.IsValueType, seen);
                listBytes += bytes;
                // An instant column: its bytes a row and unit (InstantArray), as wide as its values need.
                if (value is InstantColumn instants) detail = [$"{instants.UtcTicks.Width} byte{(instants.UtcTicks.Width > 1 ? "s" : "")} a row in {UnitName(instants.UtcTicks.Unit)}", .. detail];
                if (bytes >= 50_000) lines.Add($"    {name,-16} {Mb(bytes),9}{(detail.Count > 1 ? "  (" + string.Join(", ", detail) + ")" : "")}");
            }
            total += listBytes;
            Console.WriteLine($"  {list,-12} {Mb(listBytes),9}");
            foreach (var line in lines) Console.WriteLine(line);
        }
        Console.WriteLine($"  total (estimate) {Mb(total)}; the GC's managed heap after a full collection {Mb(snapshotHeap)} (the runtime's own objects included)");
    }

    private static string UnitName(long ticks) =>
        ticks == TimeSpan.TicksPerSecond ? "seconds" : ticks == TimeSpan.TicksPerMillisecond ? "milliseconds" : "ticks";

    private static bool HoldsReferences(FieldInfo f) => !f.FieldType.IsValueType || ContainsReferences(f.FieldType);

    private static string Name(FieldInfo f) => f.Name.TrimStart('_').Replace("<", "").Replace(">k__BackingField", "").Replace(">P", "");

    /// <summary>What a field's value reaches, itself counted already: a struct (a column's codes) is no object of its own.</summary>
    private static long Inner(object value, bool isStruct, HashSet<object> seen) =>
        isStruct ? Children(value).Sum(child => child is null ? 0 : Reach(child, seen)) : Reach(value, seen, counted: true);

    private static bool IsColumn(object value) =>
        value.GetType() is var t && t.Namespace == typeof(StringColumn).Namespace && t.Name.EndsWith("Column", StringComparison.Ordinal);

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1}");

    /// <summary>The object's own size, once.</summary>
    private static long Self(object o, HashSet<object> seen) => seen.Add(o) ? SizeOf(o) : 0;

    /// <summary>Everything <paramref name="root"/> reaches that was not counted yet, itself included
    /// (<paramref name="counted"/>: itself already counted).</summary>
    private static long Reach(object root, HashSet<object> seen, bool counted = false)
    {
        var bytes = 0L;
        var stack = new Stack<object>();
        if (counted || seen.Add(root))
        {
            if (!counted) bytes += SizeOf(root);
            stack.Push(root);
        }
        while (stack.Count > 0)
        {
            var o = stack.Pop();
            foreach (var child in Children(o))
            {
                if (child is null || !seen.Add(child)) continue;
                bytes += SizeOf(child);
                stack.Push(child);
            }
        }
        return bytes;
    }

    private static IEnumerable<object?> Children(object o)
    {
        var type = o.GetType();
        if (type == typeof(string)) yield break;
        if (o is Array array)
        {
            var element = type.GetElementType()!;
            if (!element.IsValueType)
            {
                foreach (var item in array) yield return item;
            }
            else if (ContainsReferences(element))
            {
                foreach (var item in array)
                {
                    foreach (var child in Children(item!)) yield return child; // the struct's references (the box is not counted)
                }
            }
            yield break;
        }
        foreach (var field in Fields(type))
        {
            if (!field.FieldType.IsValueType) yield return field.GetValue(o);
            else if (ContainsReferences(field.FieldType) && field.GetValue(o) is { } inner)
            {
                foreach (var child in Children(inner)) yield return child;
            }
        }
    }

    private static readonly Dictionary<Type, FieldInfo[]> FieldsOf = [];

    private static FieldInfo[] Fields(Type type)
    {
        if (FieldsOf.TryGetValue(type, out var fields)) return fields;
        var all = new List<FieldInfo>();
        for (var t = type; t is not null; t = t.BaseType)
        {
            all.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }
        return FieldsOf[type] = [.. all];
    }

    private static readonly Dictionary<Type, (int Size, bool References)> ValueTypes = [];

    private static (int Size, bool References) ValueType(Type t)
    {
        if (ValueTypes.TryGetValue(t, out var known)) return known;
        var size = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;
        var references = (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(t).Invoke(null, null)!;
        return ValueTypes[t] = (size, references);
    }

    private static bool ContainsReferences(Type valueType) => ValueType(valueType).References;

    private static long SizeOf(object o)
    {
        var type = o.GetType();
        long bytes;
        if (o is string s) bytes = 22 + 2L * s.Length;
        else if (o is Array array)
        {
            var element = type.GetElementType()!;
            bytes = 24 + (long)array.Length * (element.IsValueType ? ValueType(element).Size : 8);
        }
        else bytes = 16 + Fields(type).Sum(f => f.FieldType.IsValueType ? ValueType(f.FieldType).Size : 8);
        return Math.Max(24, (bytes + 7) & ~7L);
    }
}
