namespace CrmPulse.Sources.File;

/// <summary>
/// The type of each canonical column, as <see cref="FileRecords"/> reads it: used at start to check that the values a
/// <see cref="FileMapping.Values"/> mapping produces are readable, so a typo is a settings error and not a rejected row
/// in every file.
/// </summary>
internal static class FileColumnTypes
{
    private static readonly FileValues Utc = new(TimeZoneInfo.Utc);

    /// <summary>What is wrong with <paramref name="value"/> as a value of the column, or null when it reads.</summary>
    public static string? Check(FileKind kind, string column, string value)
    {
        var text = value.Trim();
        if (text.Length == 0) return null; // a blank value means "unset", which every column accepts
        switch (kind.Name, column)
        {
            case (_, "active" or "integration" or "is_closed" or "is_won"):
                return FileValues.TryBool(text, out _) ? null : $"'{value}' is not a boolean (true/false, yes/no, 1/0)";
            case ("contacts", "is_lead"):
                return FileValues.TryBool(text, out _) || Utc.TryDateTime(text, out _)
                    ? null
                    : $"'{value}' is neither a boolean (true/false, yes/no, 1/0) nor a date-time";
            case (_, "amount"):
                return FileValues.TryDecimal(text, out _) ? null : $"'{value}' is not a number (e.g. 1250.50)";
            case (_, "close_date"):
                return Utc.TryDate(text, out _) ? null : $"'{value}' is not a date (yyyy-MM-dd)";
            case ("activities", "type"):
                return FileRecords.TryActivityType(text, out _)
                    ? null
                    : $"'{value}' is not an activity type (call, email, meeting, task, note)";
            case (_, "at"):
            case (_, _) when column.EndsWith("_at", StringComparison.Ordinal):
                return Utc.TryDateTime(text, out _) ? null : $"'{value}' is not a date-time ({FileValues.DateTimeForms})";
            default:
                return null; // text, statuses and directions take any value
        }
    }
}
