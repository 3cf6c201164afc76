namespace CrmPulse.Options;

/// <summary>
/// Reads the API keys (CrmPulse:Api:ApiKeys, CrmPulse:Api:ApiKeysFile) and refuses guessable ones: a key must have at
/// least <see cref="MinLength"/> characters, of which at least <see cref="MinDistinct"/> different (16 identical
/// characters, "abababab…" or a short word repeated are refused). Random keys pass: 32 random hex digits hold fewer than
/// 8 different ones with a chance of 4 in 100 million, the 64 of `openssl rand -hex 32` practically never. Messages
/// name the key by its place, never by its value.
/// </summary>
public static class ApiKeyRules
{
    public const int MinLength = 32;

    public const int MinDistinct = 8;

    public const string HowToMakeOne = "make one with `openssl rand -hex 32`";

    /// <summary>The keys, trimmed, blank ones and the file's comment lines left out; each problem added to <paramref name="errors"/>.</summary>
    public static List<string> Load(ApiOptions api, List<string> errors)
    {
        var keys = new List<string>();
        for (var i = 0; i < api.ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(api.ApiKeys[i])) continue;
            var key = api.ApiKeys[i].Trim();
            if (Problem(key) is { } problem) errors.Add($"CrmPulse:Api:ApiKeys:{i}: {problem}");
            keys.Add(key);
        }
        if (api.ApiKeysFile is { } file)
        {
            try
            {
                var lines = File.ReadAllLines(file);
                for (var n = 0; n < lines.Length; n++)
                {
                    var key = lines[n].Trim();
                    if (key.Length == 0 || key.StartsWith('#')) continue;
                    if (Problem(key) is { } problem) errors.Add($"CrmPulse:Api:ApiKeysFile: '{file}' line {n + 1}: {problem}");
                    keys.Add(key);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"CrmPulse:Api:ApiKeysFile: cannot read '{file}': {e.Message}");
            }
        }
        return keys;
    }

    /// <summary>Why <paramref name="key"/> is too weak, or null when it is long and varied enough.</summary>
    public static string? Problem(string key)
    {
        if (key.Length < MinLength)
            return $"the API key has {key.Length} characters; at least {MinLength} are needed ({HowToMakeOne}).";
        var distinct = key.Distinct().Count();
        if (distinct < MinDistinct)
            return $"the API key uses only {distinct} different character(s); at least {MinDistinct} are needed, a random key has them ({HowToMakeOne}).";
        return null;
    }
}
