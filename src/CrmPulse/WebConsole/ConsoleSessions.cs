using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CrmPulse.Apis;
using CrmPulse.Options;

namespace CrmPulse.WebConsole;

/// <summary>
/// Console sign-in when API keys are configured: a visitor gives a key once (the login form) and gets a session cookie
/// (HttpOnly, SameSite=Strict, Secure over HTTPS) that stands for it for <see cref="Lifetime"/>. Sessions live in this
/// process: a restart signs everyone out, and no key is ever stored in the cookie. Requests may also carry the key
/// itself (X-Api-Key or Authorization: Bearer), as the API accepts it.
/// </summary>
public sealed class ConsoleSessions(ApiOptions options, TimeProvider time)
{
    public const string CookieName = "crmpulse_session";

    /// <summary>How long a session lasts after sign-in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);

    public bool KeysConfigured => options.ApiKeys.Count > 0;

    /// <summary>True when the request may see record-level content: no keys configured, a valid session, or a valid key.</summary>
    public bool IsSignedIn(HttpRequest request)
    {
        if (!KeysConfigured) return false;
        if (request.Cookies[CookieName] is { Length: > 0 } token && _sessions.TryGetValue(token, out var expires))
        {
            if (expires > time.GetUtcNow()) return true;
            _sessions.TryRemove(token, out _);
        }
        string? presented = request.Headers[ApiKeyFilter.Header].FirstOrDefault();
        if (presented is null && request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        return IsKey(presented);
    }

    /// <summary>Starts a session when <paramref name="key"/> is a configured key; returns its token, or null.</summary>
    public string? SignIn(string? key)
    {
        if (!IsKey(key)) return null;
        var now = time.GetUtcNow();
        foreach (var expired in _sessions.Where(s => s.Value <= now).Select(s => s.Key).ToList()) _sessions.TryRemove(expired, out _);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        _sessions[token] = now + Lifetime;
        return token;
    }

    public void SignOut(HttpRequest request)
    {
        if (request.Cookies[CookieName] is { } token) _sessions.TryRemove(token, out _);
    }

    /// <summary>The cookie's flags. Its age is relative (Max-Age), not a date: the browser's clock need not agree with ours.</summary>
    public static CookieOptions CookieOptions(HttpRequest request, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        MaxAge = maxAge,
        IsEssential = true,
    };

    private bool IsKey(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var given = Encoding.UTF8.GetBytes(presented);
        // Constant-time, as the API's filter compares: no timing hint about how much of a key matched.
        return options.ApiKeys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(k), given));
    }
}
