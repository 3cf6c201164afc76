using System.Globalization;
using System.Text.RegularExpressions;

namespace CrmPulse.Sources.File;

/// <summary>
/// Reads cell texts as typed values: booleans, invariant decimals, dates and date-times, the latter in a configured time
/// zone when they carry no offset. Inputs are already trimmed and non-empty.
/// </summary>
internal sealed partial class FileValues(TimeZoneInfo timeZone)
{
    public const string DateTimeForms =
        "expected ISO 8601 such as 2024-03-05T14:30:00Z, 2024-03-05T14:30:00+01:00, 2024-03-05T14:30:00.000+0000, " +
        "or 2024-03-05 14:30 (read in the configured TimeZone)";

    public TimeZoneInfo TimeZone { get; } = timeZone;

    /// <summary>true/false, yes/no, 1/0, case-insensitive.</summary>
    public static bool TryBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "1": value = true; return true;
            case "false" or "no" or "0": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>A decimal with '.' as the decimal point and an optional sign; no thousands separators, no currency.</summary>
    public static bool TryDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// A date: yyyy-MM-dd. A date-time is accepted too (HubSpot exports dates as "2024-03-31 00:00"): with an offset it
    /// is first converted to the configured time zone, then its date is taken.
    /// </summary>
    public bool TryDate(string text, out DateOnly value)
    {
        value = default;
        if (!TryParts(text, out var local, out var offset)) return false;
        var inZone = offset is { } o
            ? TimeZoneInfo.ConvertTime(new DateTimeOffset(local, o), TimeZone).DateTime
            : local;
        value = DateOnly.FromDateTime(inZone);
        return true;
    }

    /// <summary>
    /// A date-time: ISO 8601 with an offset ("Z", "+01:00", Salesforce's "+0000"), or without one (also HubSpot's
    /// "yyyy-MM-dd HH:mm"), read in the configured time zone; a plain date means its midnight in that zone.
    /// </summary>
    public bool TryDateTime(string text, out DateTimeOffset value)
    {
        value = default;
        if (!TryParts(text, out var local, out var offset)) return false;
        value = offset is { } o ? new DateTimeOffset(local, o) : FromLocal(local);
        return true;
    }

    /// <summary>
    /// A wall-clock time in the configured zone as an instant. Around DST changes: a time that occurs twice (clocks go
    /// back) is read as the first occurrence, the summer-time one; a time that does not exist (clocks go forward) is read
    /// with the offset in force before the change, i.e. it moves forward by the gap (02:30 → 03:30 local).
    /// </summary>
    public DateTimeOffset FromLocal(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (TimeZone.IsAmbiguousTime(local))
        {
            offset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
        }
        else if (TimeZone.IsInvalidTime(local))
        {
            // Transitions are months apart, so a day earlier is safely on the "before" side of this one.
            offset = TimeZone.GetUtcOffset(local.AddDays(-1));
        }
        else
        {
            offset = TimeZone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset);
    }

    private static bool TryParts(string text, out DateTime local, out TimeSpan? offset)
    {
        local = default;
        offset = null;
        var m = DateTimePattern().Match(text);
        if (!m.Success) return false;

        int Number(string group) => int.Parse(m.Groups[group].ValueSpan, CultureInfo.InvariantCulture);
        int year = Number("y"), month = Number("mo"), day = Number("d");
        // Years 2..9998 keep every offset conversion inside DateTimeOffset's range.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        if (m.Groups["h"].Success)
        {
            hour = Number("h");
            minute = Number("mi");
            second = m.Groups["s"].Success ? Number("s") : 0;
            if (hour > 23 || minute > 59 || second > 59) return false;
            if (m.Groups["f"].Success)
            {
                // Ticks are 100 ns: keep at most 7 digits, pad shorter fractions.
                var digits = m.Groups["f"].Value.PadRight(7, '0')[..7];
                fractionTicks = long.Parse(digits, CultureInfo.InvariantCulture);
            }
        }
        local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);

        if (m.Groups["z"].Success)
        {
            var z = m.Groups["z"].Value;
            if (z is "Z" or "z")
            {
                offset = TimeSpan.Zero;
            }
            else
            {
                var sign = z[0] == '-' ? -1 : 1;
                var digits = z[1..].Replace(":", "", StringComparison.Ordinal);
                var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
                var minutes = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
                if (minutes > 59 || hours * 60 + minutes > 14 * 60) return false; // DateTimeOffset allows ±14:00
                offset = sign * new TimeSpan(hours, minutes, 0);
            }
        }
        return true;
    }

    // yyyy-MM-dd, optionally followed by 'T' or a space, HH:mm[:ss[.fffffff]], and an offset Z / ±HH / ±HHmm / ±HH:mm.
    [GeneratedRegex(
        @"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})" +
        @"(?:[T ](?<h>[0-9]{2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,9}))?)?" +
        @" ?(?<z>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
