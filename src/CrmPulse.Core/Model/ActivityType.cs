namespace CrmPulse.Core.Model;

/// <summary>The kinds of logged activity (engagements) the KPIs count.</summary>
public enum ActivityType
{
    Call,
    Email,
    Meeting,
    Task,
    Note,
}

/// <summary>Names of activity types as they appear in KPI dimensions and files.</summary>
public static class ActivityTypes
{
    public static readonly IReadOnlyList<ActivityType> All = Enum.GetValues<ActivityType>();

    /// <summary>The dimension value: "call", "email", "meeting", "task", "note".</summary>
    public static string Tag(this ActivityType type) => type switch
    {
        ActivityType.Call => "call",
        ActivityType.Email => "email",
        ActivityType.Meeting => "meeting",
        ActivityType.Task => "task",
        ActivityType.Note => "note",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a type name case-insensitively, accepting plurals ("calls") too.</summary>
    public static bool TryParse(string? text, out ActivityType type)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        if (t.EndsWith('s')) t = t[..^1];
        foreach (var candidate in All)
        {
            if (candidate.Tag() == t) { type = candidate; return true; }
        }
        type = default;
        return false;
    }
}
