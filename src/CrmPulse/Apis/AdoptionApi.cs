using System.ComponentModel;
using CrmPulse.Core.Kpis;
using CrmPulse.Core.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmPulse.Apis;

/// <summary>/api/adoption/users: the per-user table of the latest KPI pass (record-level: needs the API key when one is configured).</summary>
public static class AdoptionApi
{
    private static readonly string[] Statuses = ["active", "inactive", "never", "excluded"];

    public static IEndpointRouteBuilder MapAdoptionApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/adoption").WithTags("Adoption")
            .MapGet("/users", Users).WithName("AdoptionUsers")
            .WithSummary("Per user: last login, logins and activities in 7 and 30 days, status active / inactive / never / excluded.")
            .RequireApiKey();
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<UserAdoptionRow>>, ProblemHttpResult>> Users(
        ILedger ledger,
        [Description("Only this source.")] string? source,
        [Description("Only this team.")] string? team,
        [Description("Only this status: active, inactive, never or excluded.")] string? status,
        CancellationToken ct)
    {
        if (status is not null && !Statuses.Contains(status))
            return TypedResults.Problem(statusCode: 400, title: "Bad request", detail: $"status: '{status}' is not one of {string.Join(", ", Statuses)}.");
        var rows = await ledger.LatestUsersAsync(source, ct);
        IReadOnlyList<UserAdoptionRow> filtered = rows
            .Where(r => (team is null || r.Team == team) && (status is null || r.Status == status))
            .OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Team, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(filtered);
    }
}
