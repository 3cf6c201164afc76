using System.Security.Cryptography;
using System.Text;
using CrmPulse.Options;

namespace CrmPulse.Apis;

/// <summary>
/// Guards record-level and mutating endpoints: when API keys are configured, the request must carry one
/// (X-Api-Key header, or Authorization: Bearer). With none configured CrmPulse listens on loopback only (enforced at start-up).
/// </summary>
public sealed class ApiKeyFilter(ApiOptions options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.ApiKeys.Count == 0 || IsValid(context.HttpContext.Request)) return next(context);
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: $"This endpoint lists records or changes state: send a configured API key in the {Header} header or as 'Authorization: Bearer <key>'."));
    }

    private bool IsValid(HttpRequest request)
    {
        string? presented = request.Headers[Header].FirstOrDefault();
        if (presented is null && request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(presented)) return false;
        var given = Encoding.UTF8.GetBytes(presented);
        // Constant-time comparison against each key: no timing hint about how much of a key matched.
        return options.ApiKeys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(k), given));
    }
}

public static class ApiKeyFilterExtensions
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, ApiKeyFilter>();
}
