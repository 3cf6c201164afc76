using System.Text;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Tests.Fakes;

/// <summary>
/// The mirror's apply rules in memory (upserts, then deletions, then complete kinds, with the watermarks), enough to
/// check what a sequence of syncs leaves behind. The SQLite mirror applies the same rules in one transaction.
/// </summary>
internal sealed class MemoryMirror
{
    public Dictionary<(ObjectKind Kind, string Id), object> Records { get; } = [];

    public Dictionary<string, string> Watermarks { get; } = new(StringComparer.Ordinal);

    public void Apply(ChangeSet changes)
    {
        var seen = new HashSet<(ObjectKind, string)>();
        void Put(ObjectKind kind, string id, object record) { Records[(kind, id)] = record; seen.Add((kind, id)); }
        foreach (var u in changes.Users) Put(ObjectKind.User, u.Id, u);
        foreach (var l in changes.Logins) Put(ObjectKind.Login, l.Id, l);
        foreach (var c in changes.Contacts) Put(ObjectKind.Contact, c.Id, c);
        foreach (var c in changes.Companies) Put(ObjectKind.Company, c.Id, c);
        foreach (var d in changes.Deals) Put(ObjectKind.Deal, d.Id, d);
        foreach (var a in changes.Activities) Put(ObjectKind.Activity, a.Id, a);
        foreach (var key in changes.Deletions) Records.Remove(key);
        foreach (var kind in changes.CompleteKinds)
        {
            foreach (var key in Records.Keys.Where(k => k.Kind == kind && !seen.Contains(k) && !changes.Retained.Contains(k)).ToList())
                Records.Remove(key);
        }
        foreach (var (k, v) in changes.Watermarks) Watermarks[k] = v;
    }

    public IEnumerable<T> All<T>() => Records.Values.OfType<T>();

    public T Get<T>(ObjectKind kind, string id) => (T)Records[(kind, id)];

    /// <summary>Every record and watermark as text, to compare two mirrors exactly.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var (key, record) in Records.OrderBy(r => r.Key.Kind).ThenBy(r => r.Key.Id, StringComparer.Ordinal))
            text.Append(key.Kind).Append('/').Append(key.Id).Append(": ").Append(Describe(record)).Append('\n');
        foreach (var (k, v) in Watermarks.OrderBy(w => w.Key, StringComparer.Ordinal)) text.Append(k).Append('=').Append(v).Append('\n');
        return text.ToString();
    }

    private static string Describe(object record) => record switch
    {
        CrmRecord r => r + " custom:" + string.Join(",", r.Custom.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")),
        _ => record.ToString()!,
    };
}
