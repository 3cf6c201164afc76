using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Storage.Tests;

/// <summary>Small records and change sets for the tests.</summary>
internal static class Fixtures
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public static CrmUser User(string id, string? team = "Sales") => new(id, $"User {id}", $"{id}@example.com", team, true, false, T0);

    public static LoginEvent Login(string id, string userId = "u1") => new(id, userId, T0.AddHours(1), true, "Application");

    public static Contact Contact(string id, string? email = null) => new()
    {
        Id = id,
        OwnerId = "u1",
        CreatedAt = T0,
        ModifiedAt = T0.AddDays(1),
        Email = email ?? $"{id}@example.com",
    };

    public static Company Company(string id) => new() { Id = id, Name = $"Company {id}", CreatedAt = T0, ModifiedAt = T0 };

    public static Deal Deal(string id) => new() { Id = id, Name = $"Deal {id}", Amount = 100m, CreatedAt = T0, ModifiedAt = T0 };

    public static Activity Activity(string id, string? ownerId = "u1") =>
        new(id, ActivityType.Call, ownerId, T0, T0, T0.AddMinutes(5));

    public static ChangeSet Changes(Action<ChangeSet> fill)
    {
        var changes = new ChangeSet();
        fill(changes);
        return changes;
    }
}
