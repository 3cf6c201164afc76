using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;

namespace CrmPulse.Hosting;

/// <summary>--config FILE (or CRMPULSE_CONFIG): read after appsettings.json; a missing or malformed file is a named error, naming where the path came from, not a stack trace.</summary>
public static class ConfigFile
{
    /// <summary>
    /// Checks <paramref name="file"/> and puts it right after appsettings*.json, so environment variables and the command
    /// line still override it. Returns what is wrong with the file (its path, and the line and position of a JSON error),
    /// or null when it was added.
    /// </summary>
    public static string? Insert(ConfigurationManager configuration, string file, string origin = "--config")
    {
        var full = Path.GetFullPath(file);
        if (Check(full, origin) is { } problem) return problem;
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var index = sources.Select((s, i) => (s, i)).Where(x => x.s is JsonConfigurationSource).Select(x => x.i + 1).DefaultIfEmpty(0).Max();
        var fileSource = new JsonConfigurationSource { Path = full, Optional = false, ReloadOnChange = false };
        fileSource.ResolveFileProvider();
        try
        {
            sources.Insert(index, fileSource);
        }
        catch (InvalidDataException e)
        {
            // What the check above let through (a key given twice with different case, …): the provider's own words.
            return $"{origin} '{full}': {e.InnerException?.Message ?? e.Message}";
        }
        return null;
    }

    /// <summary>What is wrong with a configuration file, or null: it does not exist, cannot be read, or is not JSON with an object at its top.</summary>
    public static string? Check(string full, string origin = "--config")
    {
        string text;
        try
        {
            if (Directory.Exists(full)) return $"{origin} '{full}' is a directory, not a JSON file.";
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"{origin} '{full}' does not exist.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{origin} '{full}' cannot be read: {e.Message}";
        }
        try
        {
            // The options the JSON configuration provider reads with: comments and trailing commas allowed.
            using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                var kind = json.RootElement.ValueKind switch
                {
                    JsonValueKind.Array => "an array",
                    JsonValueKind.String => "a string",
                    JsonValueKind.Number => "a number",
                    _ => json.RootElement.GetRawText(),
                };
                return $"{origin} '{full}' is not a JSON object ({{ \"CrmPulse\": {{ ... }} }}), it holds {kind}.";
            }
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } l ? l + 1 : 0;
            var position = e.BytePositionInLine is { } p ? p + 1 : 0;
            return $"{origin} '{full}' is not valid JSON at line {line}, position {position}: {Reason(e.Message)}";
        }
        return null;
    }

    /// <summary>The reader's message without its own "LineNumber: … | BytePositionInLine: …." tail (given above, 1-based).</summary>
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
