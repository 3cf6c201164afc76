using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.Http;

/// <summary>
/// Reads one secret (a token, a client id or secret) from a file or an environment variable, never from the
/// configuration itself. A file wins over its variable and its first line, trimmed, is the secret (so a mounted secret
/// may carry a trailing newline or a comment line). Messages name the setting keys and the file or variable, never the
/// secret's value.
/// </summary>
public static class Secret
{
    /// <summary>Returns the secret, or throws <see cref="SourceException"/> naming what is missing or unreadable.</summary>
    /// <param name="owner">How messages begin, e.g. "HubSpot source 'crm'".</param>
    /// <param name="what">What the secret is, for messages, e.g. "private-app token".</param>
    /// <param name="file">The configured file path, or null/blank when unset.</param>
    /// <param name="fileKey">The setting holding <paramref name="file"/>, e.g. "TokenFile".</param>
    /// <param name="env">The configured environment variable name, or null/blank when unset.</param>
    /// <param name="envKey">The setting holding <paramref name="env"/>, e.g. "TokenEnv".</param>
    public static string Read(string owner, string what, string? file, string fileKey, string? env, string envKey)
    {
        if (!string.IsNullOrWhiteSpace(file))
        {
            string? value;
            try
            {
                value = System.IO.File.ReadLines(file).FirstOrDefault()?.Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SourceException($"{owner}: cannot read the {what} file '{file}' ({fileKey}): {e.Message}", e);
            }
            if (string.IsNullOrEmpty(value)) throw new SourceException($"{owner}: the {what} file '{file}' ({fileKey}) is empty.");
            return value;
        }
        if (string.IsNullOrWhiteSpace(env))
            throw new SourceException($"{owner}: neither {envKey} nor {fileKey} is set; one must say where the {what} is.");
        var fromEnv = Environment.GetEnvironmentVariable(env)?.Trim();
        if (string.IsNullOrEmpty(fromEnv))
            throw new SourceException($"{owner}: the environment variable '{env}' ({envKey}) holding the {what} is not set.");
        return fromEnv;
    }
}
