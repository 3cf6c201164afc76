using System.Runtime.InteropServices;

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
        var position = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        FirstOf = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(position, ids[i], out var exists);
            if (!exists) first = i;
            FirstOf[i] = first;
        }
        // Each distinct contact id the activities name is looked up once (a million, not three million lookups).
        var contactColumn = context.Activities.Contact;
        var codePosition = new int[contactColumn.Values.Length];
        for (var c = 0; c < codePosition.Length; c++)
        {
            codePosition[c] = position.TryGetValue(contactColumn.Values[c], out var p) ? p : NoContact;
        }
        var codes = contactColumn.Codes;
        var activityContact = new int[codes.Length];
        // Each chunk writes its own slots.
        Chunks.Map(codes.Length, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                activityContact[i] = codes[i] is >= 0 and var code ? codePosition[code] : NoContact;
            }
            return 0;
        });
        ActivityContact = activityContact;
    }

    /// <summary>An activity that names no contact, or one the snapshot does not hold.</summary>
    public const int NoContact = -1;

    /// <summary>Per contact (by its position in the snapshot): the position of the first contact with its id.</summary>
    public int[] FirstOf { get; }

    /// <summary>Per activity (by its position in the snapshot): the position of the first contact with the id it names,
    /// or <see cref="NoContact"/>.</summary>
    public int[] ActivityContact { get; }

    /// <summary>The index of the pass, built once by whichever family asks first.</summary>
    public static ContactIndex For(KpiContext context) => context.Shared("contact_index", () => new ContactIndex(context));
}
