using System.Globalization;
using System.Text.Json;
using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;
using static CrmPulse.Sources.Salesforce.SalesforceValues;

namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// One pull: which kinds are read in full and why, the changed rows of every object, deletions, converted leads
/// folded into their contacts, and LoginHistory. Fills one <see cref="ChangeSet"/>.
/// </summary>
internal sealed class SalesforceSync(SalesforceReader reader, SalesforceMapper mapper, SalesforceSourceOptions options, ChangeSet changes,
    DateTimeOffset now)
{
    public ChangeSet Changes => changes;

    public async Task RecordsAsync(IReadOnlyDictionary<string, string> watermarks, CancellationToken ct)
    {
        foreach (var row in await reader.UsersAsync(ct))
        {
            if (mapper.IdOf(row, "User") is { } id) changes.Users.Add(mapper.User(row, id));
        }
        changes.CompleteKinds.Add(ObjectKind.User);

        var full = FullKinds(watermarks);
        var rows = new Dictionary<SalesforceObject, Dictionary<string, JsonElement>>();
        foreach (var obj in SalesforceObject.All)
        {
            var isFull = full.Contains(obj.Kind);
            DateTimeOffset? since = isFull ? null : Watermark(watermarks, obj.WatermarkKey)!.Value - options.Overlap;
            var changed = await reader.ChangedAsync(obj, Custom(obj), since, ct);
            rows[obj] = changed;
            // An unreadable SystemModstamp cannot move the watermark (the row itself is still mapped).
            var latest = changed.Values.Select(r => TryParseDateTime(Text(r, "SystemModstamp"), out var t) ? t : (DateTimeOffset?)null).Max();
            // An object read in full with no rows starts from now: everything created later is newer.
            var mark = latest ?? (isFull ? now : Watermark(watermarks, obj.WatermarkKey)!.Value);
            changes.Watermarks[obj.WatermarkKey] = Stamp(isFull ? mark : Max(mark, Watermark(watermarks, obj.WatermarkKey)!.Value));
            await DeletionsAsync(obj, isFull, watermarks, changed, ct);
        }
        foreach (var kind in full) changes.CompleteKinds.Add(kind);

        foreach (var (id, row) in rows[SalesforceObject.Account]) if (Known(row, id, "Account")) changes.Companies.Add(mapper.Company(row, id));
        foreach (var (id, row) in rows[SalesforceObject.Opportunity]) if (Known(row, id, "Opportunity")) changes.Deals.Add(mapper.Deal(row, id));
        foreach (var (id, row) in rows[SalesforceObject.Task]) if (Known(row, id, "Task")) changes.Activities.Add(mapper.Task(row, id));
        foreach (var (id, row) in rows[SalesforceObject.Event]) if (Known(row, id, "Event")) changes.Activities.Add(mapper.Event(row, id));
        await PeopleAsync(rows[SalesforceObject.Contact], rows[SalesforceObject.Lead], full.Contains(ObjectKind.Contact), ct);
    }

    /// <summary>
    /// Contacts and leads. A converted lead and the contact it became are one person: the contact is mirrored with
    /// the lead's facts (IsLead, when the lead came in, ConvertedAt) and the lead itself is not (it is deleted from
    /// the mirror if it was there as an open lead). Either side may change alone, so on an incremental pull the other
    /// side is looked up by id.
    /// </summary>
    private async Task PeopleAsync(Dictionary<string, JsonElement> contacts, Dictionary<string, JsonElement> leads, bool full, CancellationToken ct)
    {
        var leadOf = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        void Fold(JsonElement lead)
        {
            // Several leads can be converted into one contact: the earliest lead is when the person came in.
            if (Text(lead, "ConvertedContactId") is not { } contactId || Bool(lead, "IsConverted") != true) return;
            if (!leadOf.TryGetValue(contactId, out var other) || string.CompareOrdinal(Text(lead, "CreatedDate"), Text(other, "CreatedDate")) < 0)
                leadOf[contactId] = lead;
        }
        foreach (var lead in leads.Values) Fold(lead);
        if (!full)
        {
            var unknown = contacts.Keys.Where(id => !leadOf.ContainsKey(id) && !id.StartsWith('#')).ToList();
            if (unknown.Count > 0)
                foreach (var lead in await reader.WhereInAsync(SalesforceObject.Lead, Custom(SalesforceObject.Lead), "ConvertedContactId", unknown, ct)) Fold(lead);
            var missing = leadOf.Keys.Where(id => !contacts.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                foreach (var contact in await reader.WhereInAsync(SalesforceObject.Contact, Custom(SalesforceObject.Contact), "Id", missing, ct))
                    if (Text(contact, "Id") is { } id) contacts[id] = contact;
            }
        }
        foreach (var (id, row) in contacts)
        {
            if (Known(row, id, "Contact")) changes.Contacts.Add(mapper.Contact(row, id, leadOf.TryGetValue(id, out var lead) ? lead : null));
        }
        foreach (var (id, row) in leads)
        {
            if (!Known(row, id, "Lead")) continue;
            var folded = Text(row, "ConvertedContactId") is { } c && Bool(row, "IsConverted") == true && contacts.ContainsKey(c);
            if (folded) changes.Deletions.Add((ObjectKind.Contact, id));
            else changes.Contacts.Add(mapper.Lead(row, id));
        }
    }

    /// <summary>Kinds read in full: never synced, or their deletions can no longer be asked for (said as a problem).</summary>
    private HashSet<ObjectKind> FullKinds(IReadOnlyDictionary<string, string> watermarks)
    {
        var full = new HashSet<ObjectKind>();
        foreach (var group in SalesforceObject.All.GroupBy(o => o.Kind))
        {
            if (group.Any(o => Watermark(watermarks, o.WatermarkKey) is null || Watermark(watermarks, o.DeletedKey) is null))
            {
                full.Add(group.Key);
                continue;
            }
            var oldest = group.Min(o => Watermark(watermarks, o.DeletedKey)!.Value);
            if (oldest - options.Overlap > now - options.DeletionWindow) continue;
            full.Add(group.Key);
            var names = string.Join(" and ", group.Select(o => o.Name));
            changes.Notices.Add(new SourceProblem(group.First().Name, null, null,
                $"deletions were last read up to {Stamp(oldest)}, more than DeletionWindow ({options.DeletionWindow.TotalDays.ToString(CultureInfo.InvariantCulture)} days) ago, " +
                $"and Salesforce reports deletions only that long: every {names} record was read again (full resync), and records no longer there are removed."));
        }
        return full;
    }

    private async Task DeletionsAsync(SalesforceObject obj, bool full, IReadOnlyDictionary<string, string> watermarks,
        Dictionary<string, JsonElement> live, CancellationToken ct)
    {
        if (full)
        {
            // A full read is complete: deletions before now need not be asked for.
            changes.Watermarks[obj.DeletedKey] = Stamp(now);
            return;
        }
        var previous = Watermark(watermarks, obj.DeletedKey)!.Value;
        var start = previous - options.Overlap;
        // getDeleted works in whole minutes and wants start before end: too soon after the last pull, ask next time.
        if (now - start < TimeSpan.FromMinutes(1))
        {
            changes.Watermarks[obj.DeletedKey] = Stamp(previous);
            return;
        }
        var (ids, covered) = await reader.DeletedAsync(obj, start, now, ct);
        // A row the query just returned is live now (deleted, then restored from the recycle bin): keep it.
        foreach (var id in ids.Where(id => !live.ContainsKey(id))) changes.Deletions.Add((obj.Kind, id));
        changes.Watermarks[obj.DeletedKey] = Stamp(Max(covered, previous));
    }

    /// <summary>LoginHistory since its watermark (first pull: LoginHistoryDays back); null when it cannot be read.</summary>
    public async Task<SalesforceLoginCounts?> LoginsAsync(IReadOnlyDictionary<string, string> watermarks, string key, CancellationToken ct)
    {
        var previous = Watermark(watermarks, key);
        var since = previous is { } p ? p - options.Overlap : now.AddDays(-options.LoginHistoryDays);
        if (await reader.LoginsAsync(since, ct) is not { } rows) return null;
        int human = 0, failed = 0, api = 0;
        var latest = previous;
        foreach (var row in rows)
        {
            if (mapper.IdOf(row, "LoginHistory") is not { } id || mapper.Login(row, id, out var isHuman) is not { } login) continue;
            latest = latest is { } l ? Max(l, login.At) : login.At;
            if (!isHuman)
            {
                // Kept, so api_logins_30d shows them, but never counted as use (LoginEvent.Interactive).
                if (login.Succeeded) api++;
                changes.Logins.Add(login with { Interactive = false });
                continue;
            }
            if (login.Succeeded) human++; else failed++;
            changes.Logins.Add(login);
        }
        changes.Watermarks[key] = Stamp(latest ?? since);
        return new SalesforceLoginCounts(human, failed, api);
    }

    private bool Known(JsonElement row, string id, string objectName) => !id.StartsWith('#') || mapper.IdOf(row, objectName) is not null;

    /// <summary>The configured fields of an object, never dropped from its queries: its custom fields, and for
    /// opportunities the lost-reason field.</summary>
    private IEnumerable<string> Custom(SalesforceObject obj)
    {
        if (obj == SalesforceObject.Lead) return mapper.LeadCustomPairs().Select(p => p.LeadField);
        var custom = obj.ConfigObject is { } c ? options.CustomFields.GetValueOrDefault(c) ?? [] : [];
        return obj == SalesforceObject.Opportunity && mapper.LostReasonField is { } field
            ? custom.Append(field).Distinct(StringComparer.OrdinalIgnoreCase)
            : custom;
    }

    private static DateTimeOffset? Watermark(IReadOnlyDictionary<string, string> watermarks, string key) =>
        watermarks.TryGetValue(key, out var text) && TryParseDateTime(text, out var t) ? t : null;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static bool? Bool(JsonElement row, string field) => At(row, field)?.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
