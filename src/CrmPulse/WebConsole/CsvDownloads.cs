using System.Globalization;
using System.Text;
using CrmPulse.WebConsole.Pages;

namespace CrmPulse.WebConsole;

/// <summary>CSV downloads of whole record lists (users, issues): record-level, so a key or a session is needed when keys
/// are configured. Read through the API's handlers, page by page.</summary>
public static class CsvDownloads
{
    public static async Task<IResult> UsersAsync(HttpContext context)
    {
        var data = new ConsoleData(context.RequestServices);
        var (view, error) = await ConsoleEndpoints.ViewAsync(context, "/adoption/users.csv", data);
        if (error is not null) return Results.Problem(statusCode: error.Status, title: "Bad request", detail: error.Message);
        if (!view.MayListRecords) return Refused();
        var status = context.Request.Query["status"].ToString() is { Length: > 0 } s ? s : null;
        try
        {
            var rows = await data.UsersAsync(view.Source, view.Team, status, context.RequestAborted);
            var csv = new StringBuilder("source,user_id,name,email,team,status,last_login,logins_7d,logins_30d,activities_7d,activities_30d,as_of\r\n");
            foreach (var r in rows)
                Line(csv, r.Source, r.UserId, r.Name, r.Email, r.Team, r.Status, r.LastLogin?.ToString("O", CultureInfo.InvariantCulture),
                    Num(r.Logins7d), Num(r.Logins30d), Num(r.Activities7d), Num(r.Activities30d), r.AsOf.ToString("O", CultureInfo.InvariantCulture));
            return File(csv, $"crmpulse-users-{view.Source}.csv");
        }
        catch (ConsoleProblemException e)
        {
            return Results.Problem(statusCode: e.Status, title: "Bad request", detail: e.Message);
        }
    }

    public static async Task<IResult> IssuesAsync(HttpContext context, string area)
    {
        var data = new ConsoleData(context.RequestServices);
        var (view, error) = await ConsoleEndpoints.ViewAsync(context, $"/{area}/issues.csv", data);
        if (error is not null) return Results.Problem(statusCode: error.Status, title: "Bad request", detail: error.Message);
        if (!view.MayListRecords) return Refused();
        var csv = new StringBuilder("source,kind,object,record_id,field,owner,team,detail,computed_at,link\r\n");
        try
        {
            for (var page = 1; ; page++)
            {
                var result = await data.IssuesAsync(area, IssuesListPage.Filter(view, page, Apis.IssuesApi.MaxLimit), context.RequestAborted);
                foreach (var i in result.Items)
                    Line(csv, i.Source, i.Kind, i.Object, i.RecordId, i.Field, i.Owner, i.Team, i.Detail, i.ComputedAt.ToString("O", CultureInfo.InvariantCulture), i.Link);
                if ((long)page * Apis.IssuesApi.MaxLimit >= result.Total) break;
            }
        }
        catch (ConsoleProblemException e)
        {
            return Results.Problem(statusCode: e.Status, title: "Bad request", detail: e.Message);
        }
        return File(csv, $"crmpulse-{area.Replace('_', '-')}-issues-{view.Source}.csv");
    }

    private static IResult Refused() => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
        detail: "This download lists records: sign in to the console (/login) or send a configured API key in the X-Api-Key header.");

    private static IResult File(StringBuilder csv, string name) =>
        Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>One RFC 4180 line. A cell that a spreadsheet would read as a formula (=, +, -, @ first) gets a leading
    /// apostrophe: CRM values are typed by anyone.</summary>
    internal static void Line(StringBuilder sb, params string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var c = cells[i] ?? "";
            if (c.Length > 0 && c[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                c = "'" + c;
            if (c.IndexOfAny([',', '"', '\r', '\n']) >= 0) c = "\"" + c.Replace("\"", "\"\"") + "\"";
            sb.Append(c);
        }
        sb.Append("\r\n");
    }
}
