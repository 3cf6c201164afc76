using System.Globalization;

namespace CrmPulse.Core.Kpis;

/// <summary>The kinds of issue text built from arguments (<see cref="IssueText"/>); stored as numbers, never renumber.</summary>
public enum IssueCode : byte
{
    /// <summary>"e-mail 'A' is not an address".</summary>
    InvalidEmail = 1,

    /// <summary>"phone 'A' is not a number".</summary>
    InvalidPhone = 2,

    /// <summary>"no valid e-mail ('A') and no valid phone ('B')" (null values print as null).</summary>
    Unreachable = 3,

    /// <summary>"parent company 'A' does not exist".</summary>
    ParentMissing = 4,

    /// <summary>"due M, open at N" (instants as UTC ticks).</summary>
    OverdueTask = 5,

    /// <summary>"open task created M has no due date".</summary>
    TaskWithoutDueDate = 6,

    /// <summary>"open task created M has no owner".</summary>
    TaskWithoutOwner = 7,

    /// <summary>"close date M is before N" (dates as day numbers).</summary>
    PastCloseDate = 8,

    /// <summary>"last activity M, X A before N" (A: the unit).</summary>
    StalledSinceActivity = 9,

    /// <summary>"no activity since created M, X A before N".</summary>
    StalledSinceCreated = 10,

    /// <summary>"lost M with no reason".</summary>
    LostWithoutReason = 11,

    /// <summary>"in A/B since M: X unit, median Y" (unit: business days when N is 1, else days).</summary>
    AgingInStage = 12,

    /// <summary>"A: last won deal or activity M (N days ago), X deals and activities and Y won in the trailing B days"
    /// (A: the scores "R3 F2 M1"; M: UTC ticks; Y: the won amount, a value a decimal holds exactly).</summary>
    RfmScores = 13,
    /// <summary>"A since M, lead source B" (M: UTC ticks, written as a date): a contact's funnel stage.</summary>
    FunnelStage = 14,

    /// <summary>"current lifecycle stage A, lead source B" (A null prints as nothing): a contact's funnel stage read
    /// from its current lifecycle stage (one shared value per stage and source, not a text per contact and stage).</summary>
    FunnelCurrentStage = 15,
}

/// <summary>
/// An issue's detail as a code and its arguments, written out only when read (<see cref="ToString"/>): a pass finds
/// hundreds of thousands of issues whose texts are mostly never looked at, so it keeps the values they are made of
/// (which the records already hold) instead of formatting a text for each. The text is exactly the one the family
/// would have formatted.
/// </summary>
/// <param name="Code">Which text.</param>
/// <param name="A">First text argument (a value, a unit, a pipeline).</param>
/// <param name="B">Second text argument.</param>
/// <param name="M">First number: UTC ticks of an instant, or a day number.</param>
/// <param name="N">Second number.</param>
/// <param name="X">First measure (an age in days).</param>
/// <param name="Y">Second measure (a median age).</param>
public sealed record IssueText(IssueCode Code, string? A = null, string? B = null, long M = 0, long N = 0, double X = 0, double Y = 0)
{
    public override string ToString() => Code switch
    {
        IssueCode.InvalidEmail => $"e-mail {DataQualityRecords.Quote(A)} is not an address",
        IssueCode.InvalidPhone => $"phone {DataQualityRecords.Quote(A)} is not a number",
        IssueCode.Unreachable => $"no valid e-mail ({DataQualityRecords.Quote(A)}) and no valid phone ({DataQualityRecords.Quote(B)})",
        IssueCode.ParentMissing => $"parent company '{A}' does not exist",
        IssueCode.OverdueTask => $"due {Iso(M)}, open at {Iso(N)}",
        IssueCode.TaskWithoutDueDate => $"open task created {Iso(M)} has no due date",
        IssueCode.TaskWithoutOwner => $"open task created {Iso(M)} has no owner",
        // Formatted as the family did (an interpolated DateOnly, in the current culture).
        IssueCode.PastCloseDate => $"close date {DateOnly.FromDayNumber((int)M):yyyy-MM-dd} is before {DateOnly.FromDayNumber((int)N):yyyy-MM-dd}",
        IssueCode.StalledSinceActivity => $"last activity {Iso(M)}, {Num(X)} {A} before {Iso(N)}",
        IssueCode.StalledSinceCreated => $"no activity since created {Iso(M)}, {Num(X)} {A} before {Iso(N)}",
        IssueCode.LostWithoutReason => $"lost {Iso(M)} with no reason",
        IssueCode.AgingInStage => $"in {A}/{B} since {Iso(M)}: {Num(X)} {(N == 1 ? "business days" : "days")}, median {Num(Y)}",
        IssueCode.RfmScores => string.Create(CultureInfo.InvariantCulture,
            $"{A}: last won deal or activity {new DateTime(M, DateTimeKind.Utc):yyyy-MM-dd} ({N} {(N == 1 ? "day" : "days")} ago), {(long)X} deals and activities and {(decimal)Y:0.##} won in the trailing {B} days"),
        IssueCode.FunnelStage => $"{A} since {new DateTimeOffset(M, TimeSpan.Zero).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, lead source {B}",
        IssueCode.FunnelCurrentStage => $"current lifecycle stage {A}, lead source {B}",
        _ => throw new InvalidOperationException($"Unknown issue text code {(int)Code}."),
    };

    /// <summary>An instant as UTC ticks, written "2026-03-10T12:00:00Z".</summary>
    internal static string Iso(long utcTicks) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
