namespace CrmPulse.Sources.Demo;

/// <summary>Who can own a record: licensed users (per deal pipeline where it matters) and the deactivated users.</summary>
internal sealed class DemoOwners
{
    private readonly string[] _licensed;
    private readonly string[] _deactivated;
    private readonly Dictionary<string, string[]> _byPipeline = new(StringComparer.Ordinal);

    public DemoOwners(IReadOnlyList<DemoUserPlan> plans)
    {
        var licensed = plans.Where(p => p.User.IsActive && !p.IsIntegration).ToArray();
        _licensed = licensed.Select(p => p.User.Id).ToArray();
        _deactivated = plans.Where(p => !p.User.IsActive).Select(p => p.User.Id).ToArray();
        foreach (var group in licensed.Where(p => p.Team?.Pipeline is not null).GroupBy(p => p.Team!.Pipeline!))
        {
            _byPipeline[group.Key] = group.Select(p => p.User.Id).ToArray();
        }
    }

    /// <summary>
    /// An owner id: null with chance <paramref name="unowned"/>, a deactivated user with chance
    /// <paramref name="deactivated"/>, else a licensed user (of a team working <paramref name="pipeline"/>, when given).
    /// </summary>
    public string? Pick(DemoRandom rng, double unowned, double deactivated, string? pipeline = null)
    {
        var r = rng.NextDouble();
        if (r < unowned) return null;
        if (r < unowned + deactivated && _deactivated.Length > 0) return rng.Pick(_deactivated);
        var pool = pipeline is not null && _byPipeline.TryGetValue(pipeline, out var p) ? p : _licensed;
        return rng.Pick(pool);
    }
}
