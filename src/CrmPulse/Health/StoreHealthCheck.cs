using CrmPulse.Core.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CrmPulse.Health;

/// <summary>The store answers and can write: a store that cannot write stores no sync and no KPI pass, so what is
/// served goes stale. Unhealthy from the first failed write until a write stores rows again.</summary>
public sealed class StoreHealthCheck(IStoreHealth store) : IHealthCheck
{
    public const string Name = "store";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.WriteFailure is { } failure
            ? HealthCheckResult.Unhealthy($"store failing since {failure.Since:u}: {failure.Error}")
            : HealthCheckResult.Healthy("the store writes"));
}
