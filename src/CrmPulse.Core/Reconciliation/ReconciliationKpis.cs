using System.Globalization;
using CrmPulse.Core.Dedupe;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;

namespace CrmPulse.Core.Reconciliation;

/// <summary>
/// Reconciliation between two sources (a migration or an integration): records of the old system missing from the new
/// one, extra records, lost associations, emptied properties and the delta after the cut-over, per object.
/// </summary>
/// <remarks>
/// <para>These KPIs read two mirrors, so a source's own pass (<see cref="Compute"/>) produces none of them: the host's
/// pair pass calls <see cref="Reconcile"/> once both sources have synced, and its samples and issues carry the pair's
/// name as their <c>source</c>.</para>
/// <para>An association is lost when both its ends are matched and the new record does not point at the match of the
/// old record's target; when the target itself is missing, the missing record is the finding (its re-import carries the
/// association). Every count is emitted for every reconciled object, zeros included, so the series shows the gap closing.</para>
/// </remarks>
public sealed class ReconciliationKpis : IKpiFamily
{
    public const string Missing = "reconciliation_missing_records";
    public const string Extra = "reconciliation_extra_records";
    public const string Matched = "reconciliation_matched_records";
    public const string LostAssociations = "reconciliation_lost_associations";
    public const string EmptiedProperties = "reconciliation_emptied_properties";
    public const string Delta = "reconciliation_delta_records";

    /// <summary>The objects reconciled, in order.</summary>
    public static readonly IReadOnlyList<string> Objects = ["contact", "company", "deal"];

    /// <summary>The associations compared: the object holding it, the association field, the target object.</summary>
    public static readonly IReadOnlyList<(string Object, string Field, string Target)> Associations =
        [("contact", "company", "company"), ("deal", "contact", "contact"), ("deal", "company", "company")];

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.Reconciliation;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new(Missing, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Records of the old source with no match in the new one (match keys tried in order), per object.", ["object"], false, Day) { HasIssues = true },
        new(Extra, KpiFamily.Reconciliation, "count", KpiDirection.Neutral,
            "Records of the new source matched by no record of the old one, per object (records entered after go-live count too).", ["object"], false, Day) { HasIssues = true },
        new(Matched, KpiFamily.Reconciliation, "count", KpiDirection.HigherIsBetter,
            "Records of the old source matched one to one with a record of the new one, per object.", ["object"], false, Day),
        new(LostAssociations, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Matched records whose old association (field: contact→company, deal→contact, deal→company) points at a matched record and whose new record does not point at that record's match.",
            ["object", "field"], false, Day) { HasIssues = true },
        new(EmptiedProperties, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Matched records whose mapped property is filled in the old source and empty in the new one, per object and (new) field.",
            ["object", "field"], false, Day) { HasIssues = true },
        new(Delta, KpiFamily.Reconciliation, "count", KpiDirection.LowerIsBetter,
            "Records of the old source created or modified after the pair's CutOver (the delta still to migrate), per object; only with a CutOver.",
            ["object"], false, Day) { HasIssues = true },
        .. SyncHealth.Definitions,
    ];

    /// <inheritdoc />
    /// <remarks>Nothing: a pair KPI reads two mirrors (see <see cref="Reconcile"/>).</remarks>
    public void Compute(KpiContext context, KpiOutput output)
    {
    }

    /// <summary>Reconciles the pair's two mirror snapshots as of <paramref name="asOf"/>.</summary>
    public static ReconciliationFindings Reconcile(ReconciliationPair pair, CrmSnapshot oldSnapshot, CrmSnapshot newSnapshot,
        DateTimeOffset asOf, DedupeOptions dedupe)
    {
        var output = new KpiOutput(pair.Name, asOf);
        var teams = Teams(oldSnapshot);
        var newTeams = Teams(newSnapshot);
        var missing = new List<CrmRecord>();
        var extra = new List<CrmRecord>();
        var delta = new List<CrmRecord>();
        var lost = new List<LostAssociation>();
        var emptied = new List<EmptiedProperty>();
        var matches = new Dictionary<string, Dictionary<string, (string NewId, MatchKey By)>>(StringComparer.Ordinal);
        var objects = Objects.Where(pair.Objects.ContainsKey).ToList();

        // Companies first: the duplicate matcher compares contacts by their companies, which are then known on both sides.
        if (pair.Objects.TryGetValue("company", out var companyMatch))
            matches["company"] = RecordMatcher.Match("company", companyMatch, oldSnapshot, newSnapshot, dedupe);
        var newToOldCompany = matches.TryGetValue("company", out var cm)
            ? cm.ToDictionary(m => m.Value.NewId, m => m.Key, StringComparer.Ordinal) : null;
        foreach (var obj in objects)
        {
            var match = pair.Objects[obj];
            var matched = matches.TryGetValue(obj, out var done) ? done : RecordMatcher.Match(obj, match, oldSnapshot, newSnapshot, dedupe, newToOldCompany);
            matches[obj] = matched;
            var olds = RecordMatcher.Records(oldSnapshot, obj).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            var news = RecordMatcher.Records(newSnapshot, obj).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            var dims = Dimensions.Of(("object", obj));
            var keys = string.Join(", ", match.Keys.Select(KeyName));

            var missingHere = olds.Where(o => !matched.ContainsKey(o.Id)).ToList();
            foreach (var o in missingHere)
                output.AddIssue(new RecordIssue(Missing, obj, o.Id, o.OwnerId, TeamOf(teams, o.OwnerId), null,
                    $"no match in {pair.NewSource} by {keys}"));
            missing.AddRange(missingHere);
            output.Add(Missing, missingHere.Count, dims);

            var taken = matched.Values.Select(v => v.NewId).ToHashSet(StringComparer.Ordinal);
            var extraHere = news.Where(n => !taken.Contains(n.Id)).ToList();
            foreach (var n in extraHere)
                output.AddIssue(new RecordIssue(Extra, obj, n.Id, n.OwnerId, TeamOf(newTeams, n.OwnerId), null,
                    $"no match in {pair.OldSource} by {keys}"));
            extra.AddRange(extraHere);
            output.Add(Extra, extraHere.Count, dims);
            output.Add(Matched, matched.Count, dims);

            if (pair.CutOver is { } cut)
            {
                var deltaHere = olds.Where(o => o.CreatedAt > cut || o.ModifiedAt > cut).ToList();
                foreach (var o in deltaHere)
                {
                    var what = o.CreatedAt > cut ? $"created {Time(o.CreatedAt)}" : $"changed {Time(o.ModifiedAt)}";
                    output.AddIssue(new RecordIssue(Delta, obj, o.Id, o.OwnerId, TeamOf(teams, o.OwnerId), null,
                        $"{what}, after the cut-over {Time(cut)}"));
                }
                delta.AddRange(deltaHere);
                output.Add(Delta, deltaHere.Count, dims);
            }

            var newById = news.ToDictionary(n => n.Id, StringComparer.Ordinal);
            foreach (var property in match.Properties)
            {
                var count = 0;
                foreach (var o in olds)
                {
                    if (!matched.TryGetValue(o.Id, out var m)) continue;
                    var value = o.GetField(property.Old);
                    if (!CrmRecord.IsFilled(value) || CrmRecord.IsFilled(newById[m.NewId].GetField(property.New))) continue;
                    count++;
                    emptied.Add(new EmptiedProperty(obj, o.Id, m.NewId, property.Old, property.New, value!));
                    output.AddIssue(new RecordIssue(EmptiedProperties, obj, o.Id, o.OwnerId, TeamOf(teams, o.OwnerId), property.New,
                        $"'{value}' in {pair.OldSource}; empty on {m.NewId} in {pair.NewSource}"));
                }
                output.Add(EmptiedProperties, count, Dimensions.Of(("object", obj), ("field", property.New)));
            }
            if (pair.Sync)
                SyncHealth.Compute(pair, obj, match, matched, oldSnapshot, newSnapshot, asOf, dedupe, output, o => TeamOf(teams, o), n => TeamOf(newTeams, n));
        }

        foreach (var (obj, field, target) in Associations)
        {
            if (!matches.TryGetValue(obj, out var matched) || !matches.TryGetValue(target, out var targetMatches)) continue;
            var newById = RecordMatcher.Records(newSnapshot, obj).ToDictionary(n => n.Id, StringComparer.Ordinal);
            var count = 0;
            foreach (var o in RecordMatcher.Records(oldSnapshot, obj).OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                if (o.GetField(field) is not { } oldTarget || !CrmRecord.IsFilled(oldTarget)) continue;
                if (!matched.TryGetValue(o.Id, out var m) || !targetMatches.TryGetValue(oldTarget, out var t)) continue;
                var current = newById[m.NewId].GetField(field);
                if (current == t.NewId) continue;
                count++;
                lost.Add(new LostAssociation(obj, o.Id, m.NewId, field, oldTarget, t.NewId, current));
                output.AddIssue(new RecordIssue(LostAssociations, obj, o.Id, o.OwnerId, TeamOf(teams, o.OwnerId), field,
                    $"{field} {oldTarget} in {pair.OldSource} (matched {t.NewId}); {m.NewId} in {pair.NewSource} has {(CrmRecord.IsFilled(current) ? current : "none")}"));
            }
            output.Add(LostAssociations, count, Dimensions.Of(("object", obj), ("field", field)));
        }

        return new ReconciliationFindings(new KpiResult(output.Samples, [], output.Issues), missing, extra, delta, lost, emptied);
    }

    /// <summary>The configuration name of a key ("external_id", "email", …).</summary>
    public static string KeyName(MatchKey key) => key switch
    {
        MatchKey.ExternalId => "external_id",
        MatchKey.Email => "email",
        MatchKey.Domain => "domain",
        MatchKey.Name => "name",
        MatchKey.Duplicate => "duplicate",
        _ => key.ToString(),
    };

    private static Dictionary<string, string> Teams(CrmSnapshot snapshot)
    {
        var teams = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var u in snapshot.Users) teams[u.Id] = CrmRecord.IsFilled(u.Team) ? u.Team! : KpiOptions.NoTeam;
        return teams;
    }

    private static string TeamOf(Dictionary<string, string> teams, string? owner) =>
        owner is not null && teams.TryGetValue(owner, out var team) ? team : KpiOptions.NoTeam;

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
