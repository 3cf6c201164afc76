namespace CrmPulse.Core.Kpis;

/// <summary>
/// One offending record behind a data-quality or pipeline-hygiene KPI (the drill-down): "this contact has no valid
/// e-mail and no valid phone", "this deal is stalled". The KPI's count is exactly the number of its issues (per
/// dimensions), so the list and the number never disagree.
/// </summary>
/// <remarks>The detail is either a text or an <see cref="IssueText"/> (a code and its arguments) written out when
/// <see cref="Detail"/> is read; two issues are equal when their texts are, however they hold them.</remarks>
public sealed record RecordIssue
{
    // A string, an IssueText, or null: one field, so that an issue with a shared text costs no more than before.
    private readonly object? _detail;

    // KPI, object, team and field, which millions of issues repeat, as the number of their kind (IssueKinds, shared
    // with the pass's issue rows): 48 bytes an issue, not 72.
    private readonly int _kind;

    private IssueKinds.Kind K => IssueKinds.Get(_kind);

    /// <param name="Kpi">The catalog id of the KPI that counts this record (e.g. "unreachable_contacts", "stalled_deals");
    /// it is the issue kind in the API, and its family says whether it is a data-quality or a pipeline issue.</param>
    /// <param name="Object">"contact", "company", "deal" or "task".</param>
    /// <param name="RecordId">The CRM's id of the record.</param>
    /// <param name="OwnerId">The record's owner, if any.</param>
    /// <param name="Team">The owner's team (<see cref="KpiOptions.NoTeam"/> when none).</param>
    /// <param name="Field">The field concerned, for field-level kinds (a missing required field, an odd picklist spelling).</param>
    /// <param name="Detail">A short human explanation with the offending value or dates ("e-mail 'jane@' is not an address").</param>
#pragma warning disable CA1707, IDE1006 // the names of the former positional record, so that named arguments (Detail: …) still bind
    public RecordIssue(string Kpi, string Object, string RecordId, string? OwnerId, string Team, string? Field = null, string? Detail = null)
#pragma warning restore CA1707, IDE1006
    {
        _kind = IssueKinds.Of(Kpi, Object, Team, Field);
        this.RecordId = RecordId;
        this.OwnerId = OwnerId;
        _detail = Detail;
    }

    /// <summary>An issue whose detail is written out from <paramref name="text"/> when read.</summary>
    public RecordIssue(string kpi, string objectType, string recordId, string? ownerId, string team, string? field, IssueText text)
        : this(kpi, objectType, recordId, ownerId, team, field)
    {
        _detail = text;
    }

    public string Kpi { get => K.Kpi; init => _kind = IssueKinds.Of(value, K.Object, K.Team, K.Field); }

    public string Object { get => K.Object; init => _kind = IssueKinds.Of(K.Kpi, value, K.Team, K.Field); }

    public string RecordId { get; init; }

    public string? OwnerId { get; init; }

    public string Team { get => K.Team; init => _kind = IssueKinds.Of(K.Kpi, K.Object, value, K.Field); }

    public string? Field { get => K.Field; init => _kind = IssueKinds.Of(K.Kpi, K.Object, K.Team, value); }

    public string? Detail
    {
        get => _detail as string ?? (_detail as IssueText)?.ToString();
        init => _detail = value;
    }

    /// <summary>The detail's code and arguments when it is held that way (the store keeps them instead of the text);
    /// null for a text. A method, not a property: it is not part of the issue's printed or serialized form.</summary>
    public IssueText? CompactDetail() => _detail as IssueText;

    public bool Equals(RecordIssue? other) =>
        other is not null && Kpi == other.Kpi && Object == other.Object && RecordId == other.RecordId && OwnerId == other.OwnerId
        && Team == other.Team && Field == other.Field && Detail == other.Detail;

    public override int GetHashCode() => HashCode.Combine(Kpi, Object, RecordId, OwnerId, Team, Field, Detail);

    public void Deconstruct(out string kpi, out string objectType, out string recordId, out string? ownerId, out string team,
        out string? field, out string? detail) =>
        (kpi, objectType, recordId, ownerId, team, field, detail) = (Kpi, Object, RecordId, OwnerId, Team, Field, Detail);
}
