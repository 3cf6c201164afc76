using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// What the matcher reads of each company, by position: its id, the fingerprint of its matcher inputs and its prepared
/// form (as <see cref="ContactInputs"/> for contacts). From a <see cref="CompanyColumns"/> (the KPI snapshot's
/// companies) the fields are read from the arrays without a <see cref="Company"/> per row: the name and domain are
/// normalized from their one-byte text columns through a stack buffer (no string of the raw text), the parent id is
/// the column's shared string. Any other list is read record by record. Both give the same prepared values and
/// fingerprints.
/// </summary>
/// <remarks>Thread-safe: the incremental matcher reads and prepares on every core.</remarks>
internal sealed class CompanyInputs
{
    private readonly IReadOnlyList<Company>? _records;
    private readonly CompanyColumns? _columns;
    // The custom fields read, each column looked up once (null: no company has the field).
    private readonly StringColumn? _phone, _city, _postcode, _postalCode;

    public CompanyInputs(IReadOnlyList<Company> companies)
    {
        if (companies is not CompanyColumns columns)
        {
            _records = companies;
            return;
        }
        _columns = columns;
        (_phone, _city) = (columns.CustomField("phone"), columns.CustomField("city"));
        (_postcode, _postalCode) = (columns.CustomField("postcode"), columns.CustomField("postal_code"));
    }

    public int Count => _columns?.Count ?? _records!.Count;

    public string Id(int i) => _columns is { } c ? c.Ids[i] : _records![i].Id;

    /// <summary>The company prepared for matching.</summary>
    public PreparedCompany Prepare(int i)
    {
        if (_columns is not { } c) return new PreparedCompany(_records![i]);
        return new PreparedCompany(c.Ids[i], c.Created.At(i), c.Parent[i], Normalized(c.Name, i, CompanyNames.Normalize), Normalized(c.Domain, i, CompanyNames.Domain),
            _phone?[i], _city?[i], _postcode?[i] ?? _postalCode?[i]);
    }

    /// <summary>A hash of everything <see cref="Prepare"/> reads, the same from the columns as from the record.</summary>
    public long Fingerprint(int i)
    {
        if (_columns is not { } c)
        {
            var r = _records![i];
            var custom = r.Custom;
            return Dedupe.Fingerprint.Start.Add(r.Id).Add(r.CreatedAt.UtcTicks).Add(r.ParentId).Add(r.Name).Add(r.Domain)
                .Add(custom.GetValueOrDefault("phone")).Add(custom.GetValueOrDefault("city"))
                .Add(custom.GetValueOrDefault("postcode")).Add(custom.GetValueOrDefault("postal_code")).Value;
        }
        var h = Dedupe.Fingerprint.Start.Add(c.Ids[i]).Add(c.Created.UtcTicks[i]).Add(c.Parent[i]).Add(c.Name, i).Add(c.Domain, i);
        return h.Add(_phone?[i]).Add(_city?[i]).Add(_postcode?[i]).Add(_postalCode?[i]).Value;
    }

    /// <summary>A company name's or domain's matcher form (<see cref="CompanyNames"/>) written into a buffer.</summary>
    private delegate ReadOnlySpan<char> Form(ReadOnlySpan<char> text, Span<char> into);

    /// <summary>Row <paramref name="i"/> of a text column in its matcher form, through a stack buffer (no string of the
    /// raw text); null when empty or when nothing is left.</summary>
    private static string? Normalized(TextColumn column, int i, Form form)
    {
        var length = column.LengthOf(i);
        if (length <= 0) return null;
        Span<char> text = length <= 256 ? stackalloc char[2 * length] : new char[2 * length];
        column.CopyTo(i, text);
        var normalized = form(text[..length], text[length..]);
        return normalized.IsEmpty ? null : new string(normalized);
    }
}
