using System.Globalization;
using System.Text.RegularExpressions;

namespace CrmPulse.Sources.Tests.Salesforce;

/// <summary>
/// The SOQL subset the fake Salesforce understands, parsed honestly: SELECT paths and child sub-queries FROM an object,
/// WHERE conditions joined by AND (=, !=, &lt;, &lt;=, &gt;, &gt;=, IN), ORDER BY, LIMIT. Anything else is a
/// <see cref="FakeSoqlException"/> (MALFORMED_QUERY), as Salesforce would answer.
/// </summary>
internal sealed partial record FakeSoql(
    string Object,
    IReadOnlyList<string> Fields,
    IReadOnlyList<FakeSoql> Children,
    IReadOnlyList<FakeSoqlCondition> Where,
    IReadOnlyList<(string Field, bool Descending)> OrderBy,
    int? Limit)
{
    public static FakeSoql Parse(string soql)
    {
        var tokens = Tokenize(soql);
        var at = 0;
        var query = ParseQuery(tokens, ref at, child: false);
        if (at != tokens.Count) throw Unexpected(tokens, at);
        return query;
    }

    private static FakeSoql ParseQuery(List<string> t, ref int at, bool child)
    {
        Expect(t, ref at, "SELECT");
        var fields = new List<string>();
        var children = new List<FakeSoql>();
        while (true)
        {
            if (Peek(t, at) == "(")
            {
                if (child) throw Unexpected(t, at);
                at++;
                children.Add(ParseQuery(t, ref at, child: true));
                Expect(t, ref at, ")");
            }
            else fields.Add(Identifier(t, ref at));
            if (Peek(t, at) != ",") break;
            at++;
        }
        Expect(t, ref at, "FROM");
        var obj = Identifier(t, ref at);
        var where = new List<FakeSoqlCondition>();
        if (Is(t, at, "WHERE"))
        {
            at++;
            where.Add(Condition(t, ref at));
            while (Is(t, at, "AND")) { at++; where.Add(Condition(t, ref at)); }
            if (Is(t, at, "OR")) throw new FakeSoqlException("OR is not supported by this fake (the source never sends it).");
        }
        var order = new List<(string, bool)>();
        if (Is(t, at, "ORDER"))
        {
            at++;
            Expect(t, ref at, "BY");
            while (true)
            {
                var field = Identifier(t, ref at);
                var desc = false;
                if (Is(t, at, "ASC")) at++;
                else if (Is(t, at, "DESC")) { at++; desc = true; }
                order.Add((field, desc));
                if (Peek(t, at) != ",") break;
                at++;
            }
        }
        int? limit = null;
        if (Is(t, at, "LIMIT"))
        {
            at++;
            limit = int.TryParse(Peek(t, at), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Unexpected(t, at);
            at++;
        }
        return new FakeSoql(obj, fields, children, where, order, limit);
    }

    private static FakeSoqlCondition Condition(List<string> t, ref int at)
    {
        var field = Identifier(t, ref at);
        var op = Peek(t, at)?.ToUpperInvariant();
        if (op is not ("=" or "!=" or "<" or "<=" or ">" or ">=" or "IN")) throw Unexpected(t, at);
        at++;
        if (op == "IN")
        {
            Expect(t, ref at, "(");
            var values = new List<FakeSoqlValue> { Literal(t, ref at) };
            while (Peek(t, at) == ",") { at++; values.Add(Literal(t, ref at)); }
            Expect(t, ref at, ")");
            return new FakeSoqlCondition(field, op, values);
        }
        return new FakeSoqlCondition(field, op, [Literal(t, ref at)]);
    }

    private static FakeSoqlValue Literal(List<string> t, ref int at)
    {
        var token = Peek(t, at) ?? throw new FakeSoqlException("unexpected end of query, expecting a value");
        at++;
        if (token.StartsWith('\'')) return new FakeSoqlValue(FakeSoqlKind.Text, token[1..^1], default);
        if (token.Equals("true", StringComparison.OrdinalIgnoreCase) || token.Equals("false", StringComparison.OrdinalIgnoreCase))
            return new FakeSoqlValue(FakeSoqlKind.Bool, token.ToLowerInvariant(), default);
        if (token.Equals("null", StringComparison.OrdinalIgnoreCase)) return new FakeSoqlValue(FakeSoqlKind.Null, null, default);
        // SOQL dateTime literals: YYYY-MM-DDThh:mm:ssZ or ±hh:mm, no fraction; date literals YYYY-MM-DD.
        if (DateTimeLiteral().IsMatch(token))
            return new FakeSoqlValue(FakeSoqlKind.DateTime, token, DateTimeOffset.Parse(token, CultureInfo.InvariantCulture));
        if (DateLiteral().IsMatch(token))
            return new FakeSoqlValue(FakeSoqlKind.DateTime, token, DateTimeOffset.Parse(token + "T00:00:00Z", CultureInfo.InvariantCulture));
        if (decimal.TryParse(token, NumberStyles.Number, CultureInfo.InvariantCulture, out _)) return new FakeSoqlValue(FakeSoqlKind.Number, token, default);
        throw new FakeSoqlException($"unexpected token: '{token}'");
    }

    private static string Identifier(List<string> t, ref int at)
    {
        var token = Peek(t, at);
        if (token is null || !IdentifierPattern().IsMatch(token) || Keywords.Contains(token.ToUpperInvariant())) throw Unexpected(t, at);
        at++;
        return token;
    }

    private static readonly HashSet<string> Keywords = ["SELECT", "FROM", "WHERE", "AND", "OR", "ORDER", "BY", "ASC", "DESC", "LIMIT", "IN"];

    private static void Expect(List<string> t, ref int at, string word)
    {
        if (!Is(t, at, word)) throw Unexpected(t, at, word);
        at++;
    }

    private static bool Is(List<string> t, int at, string word) => string.Equals(Peek(t, at), word, StringComparison.OrdinalIgnoreCase);

    private static string? Peek(List<string> t, int at) => at < t.Count ? t[at] : null;

    private static FakeSoqlException Unexpected(List<string> t, int at, string? expecting = null) =>
        new(at < t.Count ? $"unexpected token: '{t[at]}'" + (expecting is null ? "" : $", expecting '{expecting}'")
            : "unexpected end of query" + (expecting is null ? "" : $", expecting '{expecting}'"));

    private static List<string> Tokenize(string soql)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < soql.Length)
        {
            var c = soql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '\'')
            {
                var text = new System.Text.StringBuilder("'");
                i++;
                while (true)
                {
                    if (i >= soql.Length) throw new FakeSoqlException("unterminated string literal");
                    if (soql[i] == '\\' && i + 1 < soql.Length) { text.Append(soql[i + 1]); i += 2; continue; }
                    if (soql[i] == '\'') { i++; break; }
                    text.Append(soql[i++]);
                }
                tokens.Add(text.Append('\'').ToString());
                continue;
            }
            if (c is '(' or ')' or ',' or '=') { tokens.Add(c.ToString()); i++; continue; }
            if (c is '<' or '>' or '!')
            {
                var two = i + 1 < soql.Length && soql[i + 1] == '=';
                if (c == '!' && !two) throw new FakeSoqlException("unexpected token: '!'");
                tokens.Add(two ? soql.Substring(i, 2) : c.ToString());
                i += two ? 2 : 1;
                continue;
            }
            var start = i;
            while (i < soql.Length && (char.IsAsciiLetterOrDigit(soql[i]) || soql[i] is '_' or '.' or ':' or '-' or '+')) i++;
            if (i == start) throw new FakeSoqlException($"unexpected character: '{c}'");
            tokens.Add(soql[start..i]);
        }
        return tokens;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeLiteral();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateLiteral();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")]
    private static partial Regex IdentifierPattern();
}

/// <summary>One WHERE condition: field, operator, value(s).</summary>
internal sealed record FakeSoqlCondition(string Field, string Op, IReadOnlyList<FakeSoqlValue> Values);

internal enum FakeSoqlKind { Text, Bool, Null, DateTime, Number }

/// <summary>A literal of a condition.</summary>
internal sealed record FakeSoqlValue(FakeSoqlKind Kind, string? Text, DateTimeOffset Time);

/// <summary>A query the fake refuses with 400 MALFORMED_QUERY.</summary>
internal sealed class FakeSoqlException(string message) : Exception(message);
