using System.Numerics;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// The snapshot's contacts (or deals) mapped to integers once per pass, for the families that join activities to them
/// (contacts_without_activity, the account KPIs, stalled deals): each distinct id the activities name is looked up here
/// once, instead of hashing three million id strings, or building a dictionary of the ids, in each family.
/// </summary>
/// <remarks>Records that share an id share one position, the first record's, as a lookup by id would give.</remarks>
internal sealed class IdIndex
{
    /// <param name="ids">The records' ids, by position.</param>
    /// <param name="named">The activities' column naming those records.</param>
    private IdIndex(string[] ids, StringColumn named)
    {
        // Id → first position by open addressing over the ids themselves: a table of positions (+1; 0 is an empty slot)
        // at most half full, 8 MB at a million contacts where a Dictionary<string, int> held 28 MB while the index was
        // built. Only the mapping matters (not the hash order), so the result is the same in every process.
        var table = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2 * ids.Length, 16))];
        var mask = table.Length - 1;
        FirstOf = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var slot = Find(table, mask, ids, ids[i]);
            if (table[slot] == 0) table[slot] = i + 1;
            FirstOf[i] = table[slot] - 1;
        }
        // Each distinct id the activities name is looked up once (a million, not three million lookups). An activity
        // reads its record through its code (PositionOfCode): no array per activity (12 MB at three million).
        var positionOfCode = new int[named.Values.Length];
        for (var c = 0; c < positionOfCode.Length; c++)
        {
            positionOfCode[c] = table[Find(table, mask, ids, named.Values[c])] - 1; // None when the slot is empty
        }
        PositionOfCode = positionOfCode;
    }

    /// <summary>The slot of <paramref name="id"/> in the table: the one holding its first position, else the empty
    /// slot where it would go (linear probing).</summary>
    private static int Find(int[] table, int mask, string[] ids, string id)
    {
        var slot = string.GetHashCode(id, StringComparison.Ordinal) & mask;
        while (table[slot] != 0 && !string.Equals(ids[table[slot] - 1], id, StringComparison.Ordinal)) slot = (slot + 1) & mask;
        return slot;
    }

    /// <summary>An id the snapshot does not hold.</summary>
    public const int None = -1;

    /// <summary>Per record (by its position in the snapshot): the position of the first record with its id.</summary>
    public int[] FirstOf { get; }

    /// <summary>Per code of the activities' column naming the records (<see cref="ActivityColumns.Contact"/> or
    /// <see cref="ActivityColumns.Deal"/>): the position of the first record with that id, or <see cref="None"/>. An
    /// activity's record is <c>PositionOfCode[column.Codes[i]]</c> when its code is not <see cref="StringColumn.Null"/>.</summary>
    public int[] PositionOfCode { get; }

    /// <summary>The contacts' index of the pass (activities' <see cref="ActivityColumns.Contact"/>), built once by
    /// whichever family asks first.</summary>
    public static IdIndex Contacts(KpiContext context) =>
        context.Shared("contact_index", () => new IdIndex(context.Contacts.Ids, context.Activities.Contact));

    /// <summary>The deals' index of the pass (activities' <see cref="ActivityColumns.Deal"/>), as <see cref="Contacts"/>.</summary>
    public static IdIndex Deals(KpiContext context) =>
        context.Shared("deal_index", () => new IdIndex(context.Deals.Ids, context.Activities.Deal));
}
