using CrmPulse.Core.Model;

namespace CrmPulse.Core.Sources;

/// <summary>
/// What one sync pulled from a source: records to upsert, ids deleted, the new watermarks and the problems met.
/// The mirror applies a change set in one transaction, with its watermarks, or not at all.
/// </summary>
public sealed class ChangeSet
{
    public List<CrmUser> Users { get; } = [];
    public List<LoginEvent> Logins { get; } = [];
    public List<Contact> Contacts { get; } = [];
    public List<Company> Companies { get; } = [];
    public List<Deal> Deals { get; } = [];
    public List<Activity> Activities { get; } = [];

    /// <summary>Records the CRM reports as deleted since the last watermark.</summary>
    public List<(ObjectKind Kind, string Id)> Deletions { get; } = [];

    /// <summary>
    /// Kinds this change set holds completely (a full export, e.g. a CSV file re-read): the mirror deletes every
    /// record of such a kind that is not in this change set, except those named in <see cref="Retained"/>.
    /// </summary>
    public HashSet<ObjectKind> CompleteKinds { get; } = [];

    /// <summary>
    /// Records that could not be read this time (a broken row whose id is known): for a complete kind the mirror keeps
    /// the copy it already has instead of deleting it, so bad input never loses stored data.
    /// </summary>
    public List<(ObjectKind Kind, string Id)> Retained { get; } = [];

    /// <summary>Watermarks to store with this change set (key chosen by the source, e.g. "contacts" or a file name).</summary>
    public Dictionary<string, string> Watermarks { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows or records that could not be read; reported and counted, never fatal.</summary>
    public List<SourceProblem> Problems { get; } = [];

    /// <summary>The API calls this sync made, for sources that call an API (null for Demo and File).</summary>
    public ApiUsage? ApiUsage { get; set; }

    public int RecordCount => Users.Count + Logins.Count + Contacts.Count + Companies.Count + Deals.Count + Activities.Count;
}
