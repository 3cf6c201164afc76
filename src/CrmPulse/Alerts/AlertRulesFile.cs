using System.Text.Json;
using System.Text.Json.Serialization;
using CrmPulse.Core.Alerts;

namespace CrmPulse.Alerts;

/// <summary>
/// Reads the rules file: JSON with camelCase names ({"holidays": [...], "rules": [{"name": …, "kind": "drop", …}]}),
/// comments and trailing commas allowed, unknown names refused; or the same in YAML (a .yml or .yaml file). Without a
/// path, the default rules shipped next to the binary.
/// </summary>
public static class AlertRulesFile
{
    /// <summary>The file name of the default rules, next to the binary.</summary>
    public const string DefaultFileName = "default-alert-rules.json";

    /// <summary>The result of a load: the rules when the file is valid, else every problem found.</summary>
    public sealed record Result(AlertRuleSet? Rules, string Path, IReadOnlyList<string> Errors);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false), new DurationJsonConverter() },
    };

    /// <summary>The default rules file's full path.</summary>
    public static string DefaultPath => System.IO.Path.Combine(AppContext.BaseDirectory, DefaultFileName);

    /// <summary>Loads and validates <paramref name="path"/> (relative to the working directory), or the default rules when null.</summary>
    public static Result Load(string? path)
    {
        var full = System.IO.Path.GetFullPath(path ?? DefaultPath);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Result(null, full, [$"cannot read the alert rules file '{full}': {e.Message}"]);
        }
        var yaml = full.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
        return Parse(text, full, yaml);
    }

    /// <summary>Parses and validates rules text (JSON, or YAML when <paramref name="yaml"/>); <paramref name="where"/>
    /// names it in messages.</summary>
    public static Result Parse(string text, string where, bool yaml = false)
    {
        AlertRuleSet? rules;
        try
        {
            rules = JsonSerializer.Deserialize<AlertRuleSet>(yaml ? YamlToJson.Convert(text) : text, Json);
        }
        catch (JsonException e)
        {
            // The message names the JSON path and line: "... Path: $.rules[0].kind | LineNumber: 3 ...".
            // A converter's own message comes without the place: add it.
            var message = e.Message.Contains("Path:", StringComparison.Ordinal) ? e.Message
                : $"{e.Message} Path: {e.Path} | LineNumber: {e.LineNumber} | BytePositionInLine: {e.BytePositionInLine}.";
            return new Result(null, where, [$"{where}: {message}"]);
        }
        if (rules is null) return new Result(null, where, [$"{where}: the file holds no rules object."]);
        var errors = rules.Validate(where);
        return new Result(errors.Count == 0 ? rules : null, where, errors);
    }
}
