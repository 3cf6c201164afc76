using System.Buffers;
using System.Text.Json;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using CrmPulse.Options;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CrmPulse.Apis;

/// <summary>
/// The latest value of every series: what the latest pass of each producer stored (a source's KPI pass, the CRM API
/// usage of its syncs, an integration's probes), never a backfilled sample and never a series that pass no longer
/// produces, with the value one KPI period earlier, the change, and the target status. /api/kpis/latest answers
/// from here, and so can any page.
/// </summary>
/// <remarks>
/// The store is read only when the ledger has changed: one query for the values and their previous-period samples,
/// one more for the 30-day trends of the series that have a target. Every request asks the ledger version (one
/// small query) and is answered from what was read for it; target statuses are evaluated at the request's time.
/// Each value's JSON is also written once per ledger version, so that a dashboard polling the whole list costs a
/// copy of those bytes rather than a serialization of some 300 objects per request; an answer with no target in it
/// is kept whole until the version changes.
/// </remarks>
public sealed class LatestKpis(IKpiStore store, ILedger ledger, TargetBook targets, TimeProvider time, IOptions<JsonOptions> json)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Loaded? _loaded;

    /// <summary>The latest values, ordered by KPI, source and dimensions key, filtered by whichever of source, family
    /// (its tag) and KPI id is given.</summary>
    public async Task<IReadOnlyList<KpiApi.LatestValue>> GetAsync(string? source, string? family, string? kpi, CancellationToken cancellationToken)
    {
        var loaded = await CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        return loaded.Entries.Where(e => e.Matches(source, family, kpi)).Select(e => e.At(now)).ToList();
    }

    /// <summary>The same list as <see cref="GetAsync"/>, as the UTF-8 JSON array /api/kpis/latest sends.</summary>
    public async Task<ReadOnlyMemory<byte>> GetJsonAsync(string? source, string? family, string? kpi, CancellationToken cancellationToken)
    {
        var loaded = await CurrentAsync(cancellationToken);
        // Without a target among them the answer depends on nothing but the ledger version: kept and sent again.
        if (loaded.Responses.TryGetValue((source, family, kpi), out var kept)) return kept;
        var now = time.GetUtcNow();
        var buffer = new ArrayBufferWriter<byte>(loaded.JsonBytes + 2);
        var timeless = true;
        buffer.Write("["u8);
        var first = true;
        foreach (var entry in loaded.Entries.Where(e => e.Matches(source, family, kpi)))
        {
            if (!first) buffer.Write(","u8);
            first = false;
            if (entry.Target is null)
            {
                buffer.Write(entry.Json.Span);
                continue;
            }
            timeless = false;
            using var writer = new Utf8JsonWriter(buffer);
            JsonSerializer.Serialize(writer, entry.At(now), _json);
        }
        buffer.Write("]"u8);
        if (timeless && loaded.Responses.Count < Loaded.MaxResponses) loaded.Responses.TryAdd((source, family, kpi), buffer.WrittenMemory);
        return buffer.WrittenMemory;
    }

    /// <summary>One latest value; <paramref name="Json"/> is its serialized form when it has no target (a target's
    /// status depends on the time of the request).</summary>
    private sealed record Entry(KpiApi.LatestValue Value, KpiSample Sample, TargetOptions? Target, IReadOnlyList<KpiSample> Trend,
        ReadOnlyMemory<byte> Json)
    {
        public bool Matches(string? source, string? family, string? kpi) =>
            (source is null || Value.Source == source) && (family is null || Value.Family == family) && (kpi is null || Value.Kpi == kpi);

        public KpiApi.LatestValue At(DateTimeOffset now) =>
            Target is { } target ? Value with { Target = TargetBook.Evaluate(target, Sample, Trend, now) } : Value;
    }

    private sealed record Loaded(long Version, IReadOnlyList<Entry> Entries)
    {
        /// <summary>At most this many answers kept per ledger version (the filters come from query strings).</summary>
        public const int MaxResponses = 256;

        public int JsonBytes { get; } = Entries.Sum(e => e.Json.Length + 1);

        /// <summary>Answers without a target, by (source, family, kpi), for this version only.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<(string?, string?, string?), ReadOnlyMemory<byte>> Responses { get; } = new();
    }

    private async Task<Loaded> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = await store.LedgerVersionAsync(cancellationToken);
        if (Volatile.Read(ref _loaded) is { } current && current.Version == version) return current;
        // One reader at a time: a pass that lands under a dashboard's load is read once, not by every waiting request.
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _loaded) is { } again && again.Version == version) return again;
            var loaded = await LoadAsync(cancellationToken);
            Volatile.Write(ref _loaded, loaded);
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Loaded> LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var set = await store.LatestValuesAsync(cancellationToken);
        // Each series once (two producers never write the same series; should they, the newer value is shown).
        var rows = set.Values
            .Where(v => KpiCatalog.TryGet(v.Sample.Kpi, out _))
            .GroupBy(v => (v.Sample.Kpi, v.Sample.Source, v.Sample.Dimensions.Key))
            .Select(g => g.MaxBy(v => v.Sample.Time)!)
            .OrderBy(v => v.Sample.Kpi, StringComparer.Ordinal).ThenBy(v => v.Sample.Source, StringComparer.Ordinal)
            .ThenBy(v => v.Sample.Dimensions.Key, StringComparer.Ordinal)
            .Select(v => (Row: v, Target: targets.Find(v.Sample.Kpi, v.Sample.Source, v.Sample.Dimensions)))
            .ToList();

        // The trends of every series with a target in one query; the window is cut again at each request's time.
        var targeted = rows.Where(r => r.Target is not null)
            .Select(r => new SeriesKey(r.Row.Sample.Kpi, r.Row.Sample.Source, r.Row.Sample.Dimensions)).ToList();
        var trends = (targeted.Count == 0 ? [] : await ledger.SeriesAsync(targeted, now - TargetEvaluator.TrendWindow, DateTimeOffset.MaxValue, cancellationToken))
            .ToLookup(s => (s.Kpi, s.Source, s.Dimensions.Key));

        var entries = rows.Select(r =>
        {
            var (s, previous) = (r.Row.Sample, r.Row.Previous);
            var definition = KpiCatalog.Get(s.Kpi);
            var value = new KpiApi.LatestValue(s.Kpi, definition.Family.Tag(), definition.Unit, KpiApi.ToSnake(definition.Direction), s.Source,
                KpiApi.ToMap(s.Dimensions), s.Value, s.Time, s.Basis,
                previous is null ? null : new KpiApi.PreviousValue(previous.Value, previous.Time), previous is null ? null : s.Value - previous.Value);
            return new Entry(value, s, r.Target, r.Target is null ? [] : trends[(s.Kpi, s.Source, s.Dimensions.Key)].ToList(),
                r.Target is null ? JsonSerializer.SerializeToUtf8Bytes(value, _json) : ReadOnlyMemory<byte>.Empty);
        }).ToList();
        return new Loaded(set.Version, entries);
    }
}
