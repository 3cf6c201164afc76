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

    /// <summary>
    /// What is wrong with the rows or records that could not be read (a row may have several: one per bad cell), and with
    /// the kinds in <see cref="FailedKinds"/>. Reported on /api/sources and in the log.
    /// </summary>
    public List<SourceProblem> Problems { get; } = [];

    /// <summary>
    /// Rows or records skipped because they could not be read (each has one or more <see cref="Problems"/>). This, not the
    /// number of problems, is what crmpulse_source_records_rejected_total counts.
    /// </summary>
    public int RejectedRows { get; set; }

    /// <summary>
    /// Things read with a caveat, no record skipped: a field the CRM hides and that is left empty, a value counted as
    /// empty, a full resync, a fallback basis. Shown apart from the problems and never counted as rejected rows.
    /// </summary>
    public List<SourceProblem> Notices { get; } = [];

    /// <summary>
    /// Kinds whose input could not be trusted this time (a file with a structural error, unreadable bytes, too many
    /// rejected rows): nothing of them is in this change set, their stored records stay as they were, and the sync is
    /// reported as failed with each problem (naming file, line and reason). The other kinds are applied.
    /// </summary>
    public Dictionary<ObjectKind, SourceProblem> FailedKinds { get; } = [];

    /// <summary>
    /// The kinds this pull read, completely or since their watermark; null (the default) when it read every kind, as an
    /// API source does (its pull succeeds or throws as a whole). The mirror records when each kind was last read: KPIs
    /// that rest on a kind never read are left out instead of being computed from nothing.
    /// </summary>
    public HashSet<ObjectKind>? ReadKinds { get; set; }

    /// <summary>The API calls this sync made, for sources that call an API (null for Demo and File).</summary>
    public ApiUsage? ApiUsage { get; set; }

    public int RecordCount => Users.Count + Logins.Count + Contacts.Count + Companies.Count + Deals.Count + Activities.Count;
}
