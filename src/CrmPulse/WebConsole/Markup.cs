using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace CrmPulse.WebConsole;

/// <summary>
/// A piece of HTML that is safe to write as it is. Pages build markup only through <see cref="Html.Of"/>, whose
/// interpolation holes are HTML-encoded unless they are <see cref="Markup"/> themselves, so a CRM value (a name, a
/// detail, a rejected row's text) can never become markup by mistake.
/// </summary>
public readonly record struct Markup(string Value)
{
    public static readonly Markup Empty = new("");

    public override string ToString() => Value ?? "";
}

/// <summary>Builds <see cref="Markup"/>: <c>Html.Of($"&lt;td&gt;{name}&lt;/td&gt;")</c> encodes <c>name</c>.</summary>
public static class Html
{
    public static Markup Of(ref HtmlHandler handler) => handler.ToMarkup();

    /// <summary>Trusted HTML written by this code (never data).</summary>
    public static Markup Raw(string html) => new(html);

    /// <summary>The encoded text.</summary>
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Markup Join(params Markup[] parts) => Join((IEnumerable<Markup>)parts);

    /// <summary>Markup when <paramref name="condition"/> holds, else nothing.</summary>
    public static Markup If(bool condition, Markup markup) => condition ? markup : Markup.Empty;
}

/// <summary>The interpolated string handler of <see cref="Html.Of"/>: literals as written, holes encoded.</summary>
[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    private readonly StringBuilder _sb;

    public HtmlHandler(int literalLength, int formattedCount) => _sb = new StringBuilder(literalLength + formattedCount * 16);

    public readonly void AppendLiteral(string s) => _sb.Append(s);

    public readonly void AppendFormatted(Markup markup) => _sb.Append(markup.Value);

    public readonly void AppendFormatted(IEnumerable<Markup> parts)
    {
        foreach (var p in parts) _sb.Append(p.Value);
    }

    public readonly void AppendFormatted(string? text) => _sb.Append(Html.Encode(text));

    public readonly void AppendFormatted<T>(T value)
    {
        // A generic argument wins overload resolution over the Markup overloads for lists and arrays of markup.
        switch (value)
        {
            case Markup m: _sb.Append(m.Value); return;
            case IEnumerable<Markup> parts: AppendFormatted(parts); return;
            case IFormattable f: _sb.Append(Html.Encode(f.ToString(null, System.Globalization.CultureInfo.InvariantCulture))); return;
            default: _sb.Append(Html.Encode(value?.ToString())); return;
        }
    }

    public readonly void AppendFormatted<T>(T value, string? format) where T : IFormattable =>
        _sb.Append(Html.Encode(value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));

    internal readonly Markup ToMarkup() => new(_sb.ToString());
}
