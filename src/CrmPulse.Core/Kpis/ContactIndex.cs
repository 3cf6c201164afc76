using System.Numerics;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>
/// The snapshot's contacts mapped to integers once per pass, for the families that join activities to contacts
/// (contacts_without_activity, the account KPIs): each activity's contact is looked up here once, on every core,
/// instead of hashing three million id strings in each family.
/// </summary>
/// <remarks>Contacts that share an id share one position, the first contact's, as a lookup by id would give.</remarks>
internal sealed class ContactIndex
{
    private ContactIndex(KpiContext context)
    {
        var ids = context.Contacts.Ids;
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
        // Each distinct contact id the activities name is looked up once (a million, not three million lookups). An
        // activity reads its contact through its code (ContactOfCode): no array per activity (12 MB at three million).
        var contactColumn = context.Activities.Contact;
        var contactOfCode = new int[contactColumn.Values.Length];
        for (var c = 0; c < contactOfCode.Length; c++)
        {
            contactOfCode[c] = table[Find(table, mask, ids, contactColumn.Values[c])] - 1; // NoContact when the slot is empty
        }
        ContactOfCode = contactOfCode;
    }

    /// <summary>The slot of <paramref name="id"/> in the table: the one holding its first position, else the empty
    /// slot where it would go (linear probing).</summary>
    private static int Find(int[] table, int mask, string[] ids, string id)
    {
        var slot = string.GetHashCode(id, StringComparison.Ordinal) & mask;
        while (table[slot] != 0 && !string.Equals(ids[table[slot] - 1], id, StringComparison.Ordinal)) slot = (slot + 1) & mask;
        return slot;
    }

    /// <summary>An activity that names no contact, or one the snapshot does not hold.</summary>
    public const int NoContact = -1;

    /// <summary>Per contact (by its position in the snapshot): the position of the first contact with its id.</summary>
    public int[] FirstOf { get; }

    /// <summary>Per code of the activities' contact column (<see cref="ActivityColumns.Contact"/>): the position of the
    /// first contact with that id, or <see cref="NoContact"/>. An activity's contact is
    /// <c>ContactOfCode[Contact.Codes[i]]</c> when its code is not <see cref="StringColumn.Null"/>.</summary>
    public int[] ContactOfCode { get; }

    /// <summary>The index of the pass, built once by whichever family asks first.</summary>
    public static ContactIndex For(KpiContext context) => context.Shared("contact_index", () => new ContactIndex(context));
}
