namespace CrmPulse.Apis;

/// <summary>
/// Every error answer is a problem details document (RFC 9457) with a <c>detail</c> that says what is wrong: the
/// framework's own 4xx (a query value that does not bind, an unknown route, a method not allowed) get one too.
/// </summary>
public static partial class ApiErrors
{
    /// <summary>Problem details for every error; the binding failures of Minimal APIs are thrown so their message (which
    /// names the parameter and the value) becomes the detail.</summary>
    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (!string.IsNullOrEmpty(problem.Detail)) return;
            var http = context.HttpContext;
            var path = http.Request.Path.Value;
            problem.Detail = problem.Status switch
            {
                StatusCodes.Status404NotFound => $"No endpoint at {path}: see /openapi/v1.json for the API.",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {path}: see /openapi/v1.json for its methods.",
                StatusCodes.Status415UnsupportedMediaType => $"{path} does not accept a body of type '{http.Request.ContentType}'.",
                StatusCodes.Status401Unauthorized => "An API key is required (X-Api-Key header or Authorization: Bearer).",
                >= 500 => "CrmPulse failed to answer this request; the daemon's log has the reason.",
                _ => $"{http.Request.Method} {path} could not be served ({problem.Title ?? "error"}).",
            };
        });
        return services;
    }

    /// <summary>First in the pipeline after the listen guard: a request that does not bind (limit=abc) is a 400 naming the
    /// parameter, not a logged exception.</summary>
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = e.StatusCode;
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = e.StatusCode, Title = "Bad request", Detail = Describe(e.Message) },
            });
        }
    });

    /// <summary>
    /// 'Failed to bind parameter "Nullable&lt;int&gt; Limit" from "abc".' becomes "limit: 'abc' is not a whole number.":
    /// the query name (camelCase, as the API's parameters are written) and what was expected. Other messages stay.
    /// </summary>
    internal static string Describe(string message)
    {
        var m = BindFailure().Match(message);
        if (!m.Success) return message;
        var name = m.Groups["name"].Value;
        var type = m.Groups["type"].Value.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>');
        var expected = type switch
        {
            "int" or "Int32" => "a whole number from -2147483648 to 2147483647",
            "long" or "Int64" => "a whole number",
            "double" or "Double" or "decimal" or "Decimal" => "a number",
            "bool" or "Boolean" => "true or false",
            "DateTimeOffset" or "DateTime" => "a time (ISO 8601)",
            _ => $"a {type}",
        };
        return $"{char.ToLowerInvariant(name[0])}{name[1..]}: '{m.Groups["value"].Value}' is not {expected}.";
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex BindFailure();
}
