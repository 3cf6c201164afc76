using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using CrmPulse.Apis;
using CrmPulse.Hosting;
using CrmPulse.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Audits;

/// <summary>/api/audits: the stored audits, one of them, and making one (which stores it).</summary>
public static class AuditsApi
{
    /// <summary>A stored audit: its id and the audit.</summary>
    public sealed record AuditView(long Id, AuditModel Audit);

    /// <summary>A stored audit in a listing (without its content).</summary>
    public sealed record AuditSummary(long Id, string? Source, DateOnly From, DateOnly To, DateTimeOffset CreatedAt);

    public static AuditView View(long id, AuditModel audit) => new(id, audit);

    public static IEndpointRouteBuilder MapAuditsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audits").WithTags("Audits");
        group.MapGet("/", List).WithName("Audits")
            .WithSummary("The stored audits, newest first (at most 200): id, source (null: every source), period and when each was made.");
        group.MapGet("/{id:long}", Get).WithName("Audit")
            .WithSummary("One stored audit as it was made: usage, integrations, ROI, open work carried over, security, data quality, "
                + "account prioritisation and the changes since the audit before it.");
        group.MapPost("/", Run).WithName("RunAudit")
            .WithSummary("Makes the audit of from..to (UTC days, both included) for one source or every source from the ledger, stores it and "
                + "returns it (201, Location /api/audits/{id}).")
            .RequireApiKey();
        return app;
    }

    public static async Task<Ok<IReadOnlyList<AuditSummary>>> List(ICrmStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<AuditSummary>>((await store.AuditsAsync(200, ct))
            .Select(a => new AuditSummary(a.Id, a.Source, a.From, a.To, a.CreatedAt)).ToList());

    public static async Task<Results<Ok<AuditView>, ProblemHttpResult>> Get(long id, ICrmStore store, CancellationToken ct)
    {
        if (await LoadAsync(store, id, ct) is not { } view)
            return TypedResults.Problem(statusCode: 404, title: "Unknown audit", detail: $"No stored audit #{id} (GET /api/audits lists them).");
        return TypedResults.Ok(view);
    }

    public static async Task<Results<Created<AuditView>, ProblemHttpResult>> Run(
        AuditBuilder builder, SourceRegistry sources,
        [Description("First day of the period, yyyy-MM-dd (UTC).")] string? from,
        [Description("Last day of the period, included, yyyy-MM-dd (UTC).")] string? to,
        [Description("Only this source (default: every source).")] string? source,
        CancellationToken ct)
    {
        if (Date("from", from) is { } fromError) return fromError;
        if (Date("to", to) is { } toError) return toError;
        var f = DateOnly.ParseExact(from!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var t = DateOnly.ParseExact(to!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (f > t)
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"from {from} is after to {to}: the period must start on or before its last day.");
        if (source is not null && !sources.Contains(source))
            return TypedResults.Problem(statusCode: 404, title: "Unknown source", detail: $"No source '{source}' (known: {string.Join(", ", sources.Names)}).");
        var (id, audit) = await builder.RunAsync(f, t, source, sources.Names, ct);
        return TypedResults.Created($"/api/audits/{id}", View(id, audit));
    }

    /// <summary>A stored audit, or null when there is none with that id.</summary>
    public static async Task<AuditView?> LoadAsync(ICrmStore store, long id, CancellationToken ct) =>
        await store.AuditAsync(id, ct) is { Json: { } json } stored && JsonSerializer.Deserialize<AuditModel>(json, AuditBuilder.Json) is { } audit
            ? new AuditView(stored.Id, audit)
            : null;

    private static ProblemHttpResult? Date(string name, string? value) =>
        value is not null && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? null
            : TypedResults.Problem(statusCode: 400, title: "Bad request",
                detail: value is null ? $"{name} is required (yyyy-MM-dd)." : $"{name}: '{value}' is not a date: write it as yyyy-MM-dd.");
}
