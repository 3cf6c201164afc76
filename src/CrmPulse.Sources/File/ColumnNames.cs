using System.Text;

namespace CrmPulse.Sources.File;

/// <summary>How header names are compared and turned into custom-field keys.</summary>
internal static class ColumnNames
{
    /// <summary>
    /// The key two headers are compared by: letters and digits only, lower case. So "First Name", "FirstName",
    /// "FIRSTNAME" (Data Loader) and "first_name" are the same column.
    /// </summary>
    public static string MatchKey(string header)
    {
        var sb = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The snake_case custom-field key of a header: "Customer Tier" → "customer_tier", "NPSScore" → "nps_score",
    /// "Customer_Tier__c" → "customer_tier_c". Runs of anything but letters and digits become one underscore.
    /// </summary>
    public static string SnakeCase(string header)
    {
        var sb = new StringBuilder(header.Length + 4);
        var separate = false;
        for (var i = 0; i < header.Length; i++)
        {
            var c = header[i];
            if (!char.IsLetterOrDigit(c))
            {
                separate = true;
                continue;
            }
            if (char.IsUpper(c) && i > 0 && char.IsLetterOrDigit(header[i - 1]))
            {
                var previous = header[i - 1];
                var nextIsLower = i + 1 < header.Length && char.IsLower(header[i + 1]);
                // "customerTier" → customer_tier, "NPSScore" → nps_score (the last capital of an acronym starts a word).
                if (!char.IsUpper(previous) || nextIsLower) separate = true;
            }
            if (separate && sb.Length > 0) sb.Append('_');
            separate = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
