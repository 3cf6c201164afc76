using CrmPulse.Core.Kpis;

namespace CrmPulse.Core.Tests.Kpis;

/// <summary>Issue details held as a code and its arguments write out the texts the families wrote before.</summary>
public sealed class IssueTextTests
{
    private static readonly long T = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly long Due = new DateTimeOffset(2026, 3, 9, 8, 30, 5, TimeSpan.Zero).UtcTicks;

    public static TheoryData<IssueText, string> Texts => new()
    {
        { new IssueText(IssueCode.InvalidEmail, "jane@"), "e-mail 'jane@' is not an address" },
        { new IssueText(IssueCode.InvalidPhone, "12 ab"), "phone '12 ab' is not a number" },
        { new IssueText(IssueCode.Unreachable, null, "x"), "no valid e-mail (null) and no valid phone ('x')" },
        { new IssueText(IssueCode.ParentMissing, "co-gone"), "parent company 'co-gone' does not exist" },
        { new IssueText(IssueCode.OverdueTask, M: Due, N: T), "due 2026-03-09T08:30:05Z, open at 2026-03-10T12:00:00Z" },
        { new IssueText(IssueCode.TaskWithoutDueDate, M: Due), "open task created 2026-03-09T08:30:05Z has no due date" },
        { new IssueText(IssueCode.TaskWithoutOwner, M: Due), "open task created 2026-03-09T08:30:05Z has no owner" },
        { new IssueText(IssueCode.PastCloseDate, M: new DateOnly(2026, 2, 28).DayNumber, N: new DateOnly(2026, 3, 10).DayNumber),
            "close date 2026-02-28 is before 2026-03-10" },
        { new IssueText(IssueCode.StalledSinceActivity, "days", M: Due, N: T, X: 1.1458), "last activity 2026-03-09T08:30:05Z, 1.15 days before 2026-03-10T12:00:00Z" },
        { new IssueText(IssueCode.StalledSinceCreated, "business days", M: Due, N: T, X: 31), "no activity since created 2026-03-09T08:30:05Z, 31 business days before 2026-03-10T12:00:00Z" },
        { new IssueText(IssueCode.LostWithoutReason, M: Due), "lost 2026-03-09T08:30:05Z with no reason" },
        { new IssueText(IssueCode.AgingInStage, "sales", "qualified", Due, 0, 40.5, 12), "in sales/qualified since 2026-03-09T08:30:05Z: 40.5 days, median 12" },
        { new IssueText(IssueCode.AgingInStage, "none", "x", Due, 1, 7, 3.333), "in none/x since 2026-03-09T08:30:05Z: 7 business days, median 3.33" },
        { new IssueText(IssueCode.RfmScores, "R5 F3 M1", "365", Due, 1, 12, 0), "R5 F3 M1: last won deal or activity 2026-03-09 (1 day ago), 12 deals and activities and 0 won in the trailing 365 days" },
        { new IssueText(IssueCode.FunnelStage, "sql", "Web", Due), "sql since 2026-03-09, lead source Web" },
        { new IssueText(IssueCode.FunnelCurrentStage, "salesqualifiedlead", "Ads"), "current lifecycle stage salesqualifiedlead, lead source Ads" },
        { new IssueText(IssueCode.FunnelCurrentStage, null, "unknown"), "current lifecycle stage , lead source unknown" },
        { new IssueText(IssueCode.RfmScores, "R1 F1 M2", "90", Due, 40, 0, 12345.675), "R1 F1 M2: last won deal or activity 2026-03-09 (40 days ago), 0 deals and activities and 12345.68 won in the trailing 90 days" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_code_and_its_arguments_write_out_the_text(IssueText text, string expected) => Assert.Equal(expected, text.ToString());

    [Fact]
    public void An_issue_held_compact_equals_the_same_issue_with_its_text()
    {
        var compact = new RecordIssue("invalid_emails", "contact", "c1", "u1", "Sales", "email", new IssueText(IssueCode.InvalidEmail, "x@y"));
        var text = new RecordIssue("invalid_emails", "contact", "c1", "u1", "Sales", "email", "e-mail 'x@y' is not an address");

        Assert.Equal(text, compact);
        Assert.Equal(text.GetHashCode(), compact.GetHashCode());
        Assert.Equal("e-mail 'x@y' is not an address", compact.Detail);
        Assert.Equal(text.ToString(), compact.ToString());
        Assert.NotNull(compact.CompactDetail());
        Assert.Null(text.CompactDetail());
        Assert.NotEqual(text, compact with { RecordId = "c2" });
        // Setting a text replaces the code.
        Assert.Null((compact with { Detail = "other" }).CompactDetail());
    }
}
