using System.Text;
using CrmPulse.Apis;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Reconciliation;
using CrmPulse.Core.Store;
using CrmPulse.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmPulse.Reconciliation;

/// <summary>
/// /api/reconciliation: the configured pairs and their last pass, the records behind the counts (drill-down), a CSV
/// ready for a re-import, and a pass on demand. Record-level and mutating routes need the API key when one is configured.
/// </summary>
public static class ReconciliationApi
{
    /// <summary>A pair as configured, with this process's view of its last pass.</summary>
    public sealed record PairView(string Name, string Old, string New, bool Sync, DateTimeOffset? CutOver,
        IReadOnlyList<ObjectView> Objects, DateTimeOffset? LastPassAt, string? Error, string? Skipped, IReadOnlyList<string> LeftOut);

    /// <summary>One reconciled object: its match keys in order and its compared properties ("old=new").</summary>
    public sealed record ObjectView(string Object, IReadOnlyList<string> MatchBy, string? ExternalIdField, IReadOnlyList<string> Properties);

    public static IEndpointRouteBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reconciliation").WithTags("Reconciliation");
        group.MapGet("", (ReconciliationRunner runner) => TypedResults.Ok(List(runner)))
            .WithName("ReconciliationPairs")
            .WithSummary("The configured pairs of sources (old, new, cut-over, match keys and compared properties per object) and their last pass.");
        group.MapGet("/issues", (IIssueStore store, SourceRegistry sources, [AsParameters] IssuesApi.IssueFilter filter, CancellationToken ct) =>
                IssuesApi.ListAsync("reconciliation", [KpiFamily.Reconciliation], store, sources, filter, ct))
            .WithName("ReconciliationIssues")
            .WithSummary("The records behind the latest reconciliation counts (source = the pair's name): kind, object, record id (the old system's, the new one's for extra records), owner, team, field, detail.")
            .RequireApiKey();
        group.MapGet("/{pair}/export", ExportAsync)
            .WithName("ReconciliationExport")
            .WithSummary("A CSV ready for a re-import, from the mirrors as they are now: kind=reconciliation_missing_records or reconciliation_delta_records (the old records in the File source's columns), reconciliation_extra_records (the new records), reconciliation_emptied_properties (new id, field, old value) or reconciliation_lost_associations (new id, association, new target id); object=contact|company|deal.")
            .RequireApiKey();
        group.MapPost("/{pair}/run", RunAsync)
            .WithName("ReconciliationRun")
            .WithSummary("Runs the pair's reconciliation now and answers with its status.")
            .RequireApiKey();
        return app;
    }

    public static IReadOnlyList<PairView> List(ReconciliationRunner runner) => runner.Pairs.Select(p =>
    {
        var status = runner.Status(p.Name);
        return new PairView(p.Name, p.OldSource, p.NewSource, p.Sync, p.CutOver,
            p.Objects.Select(o => new ObjectView(o.Key, o.Value.Keys.Select(ReconciliationKpis.KeyName).ToList(), o.Value.ExternalIdField,
                o.Value.Properties.Select(m => m.Old == m.New ? m.Old : $"{m.Old}={m.New}").ToList())).ToList(),
            status.LastPassAt, status.Error, status.Skipped, status.LeftOut);
    }).ToList();

    private static async Task<Results<Ok<PairView>, NotFound<ProblemDetails>>> RunAsync(string pair, ReconciliationRunner runner, CancellationToken ct)
    {
        if (runner.Pair(pair) is null) return NoPair(pair, runner);
        await runner.RunAsync(pair, ct);
        return TypedResults.Ok(List(runner).First(p => p.Name == pair));
    }

    private static Task<IResult> ExportAsync(string pair, [FromQuery] string? kind, [FromQuery(Name = "object")] string? objectType,
        ReconciliationRunner runner, SourceRegistry sources, CancellationToken ct) => ExportCsvAsync(pair, kind, objectType, runner, sources, ct);

    /// <summary>The re-import CSV of one kind and object, from the mirrors as they are now (the API's and the console's).</summary>
    public static async Task<IResult> ExportCsvAsync(string pair, string? kind, string? objectType, ReconciliationRunner runner,
        SourceRegistry sources, CancellationToken ct)
    {
        var configured = runner.Pair(pair);
        if (configured is null) return NoPair(pair, runner);
        if (kind is null || !ReconciliationCsv.Kinds.Contains(kind))
            return Problem(400, $"kind: '{kind}' is not an exportable kind (known: {string.Join(", ", ReconciliationCsv.Kinds)}).");
        if (objectType is null || !configured.Objects.ContainsKey(objectType))
            return Problem(400, $"object: '{objectType}' is not reconciled by pair '{pair}' (known: {string.Join(", ", configured.Objects.Keys)}).");
        if (kind == ReconciliationKpis.Delta && configured.CutOver is null)
            return Problem(400, $"kind: pair '{pair}' has no CutOver, so no delta.");
        var (snapshots, readable, problem) = await runner.LoadAsync(configured, ct);
        if (snapshots is null) return Problem(409, $"Pair '{pair}' cannot be reconciled yet: {problem}.");
        if (!readable!.Objects.ContainsKey(objectType)) return Problem(409, $"object: {objectType} records were not read by both '{configured.OldSource}' and '{configured.NewSource}'.");
        var findings = ReconciliationKpis.Reconcile(readable, snapshots.Value.Old, snapshots.Value.New, runner.Now,
            sources.Config(configured.NewSource).KpiOptions.Dedupe);
        var csv = ReconciliationCsv.Write(kind, objectType, findings);
        return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"crmpulse-{pair}-{kind.Replace('_', '-')}-{objectType}.csv");
    }

    private static NotFound<ProblemDetails> NoPair(string pair, ReconciliationRunner runner) => TypedResults.NotFound(new ProblemDetails
    {
        Status = 404, Title = "Not found",
        Detail = $"No reconciliation pair '{pair}' (configured: {(runner.Pairs.Count == 0 ? "none" : string.Join(", ", runner.Pairs.Select(p => p.Name)))}).",
    });

    private static IResult Problem(int status, string detail) => Results.Problem(statusCode: status, title: status == 400 ? "Bad request" : "Conflict", detail: detail);
}
