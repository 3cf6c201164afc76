using CrmPulse.Core.Model;

namespace CrmPulse.Core.Kpis;

/// <summary>Data quality: invalid e-mails and phones, and contacts nobody can reach (object "contact").</summary>
/// <remarks>
/// <para>Valid is <see cref="DataQualityChecks"/>; a phone is judged by the region of the contact's
/// <see cref="DataQualityOptions.PhoneCountryField"/> when it holds a known code, else by
/// <see cref="DataQualityOptions.PhoneRegion"/>. invalid_emails counts contacts whose e-mail is filled (not null,
/// empty or white space) but not valid; invalid_email_ratio divides that by the contacts whose e-mail is filled, so
/// it measures what was typed, and an empty e-mail counts once, under missing_required_field / field_fill_rate, not
/// twice. With no filled e-mail there is no ratio sample. The same holds for phones.</para>
/// <para>unreachable_contacts counts contacts with neither a valid e-mail nor a valid phone (empty counts as not
/// valid). The counts are always emitted (0 with no contacts); each counted contact is one issue.</para>
/// </remarks>
public sealed class DataQualityValidityKpis : IKpiFamily
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public KpiFamily Family => KpiFamily.DataQuality;

    public IReadOnlyList<KpiDefinition> Definitions { get; } =
    [
        new("invalid_emails", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Contacts whose e-mail is filled but not an address.", ["object"], false, Day) { HasIssues = true },
        new("invalid_email_ratio", KpiFamily.DataQuality, "ratio", KpiDirection.LowerIsBetter,
            "invalid_emails ÷ contacts whose e-mail is filled.", ["object"], false, Day),
        new("invalid_phones", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Contacts whose phone is filled but not a valid number (libphonenumber; DataQuality:PhoneRegion, PhoneCountryField).",
            ["object"], false, Day) { HasIssues = true },
        new("invalid_phone_ratio", KpiFamily.DataQuality, "ratio", KpiDirection.LowerIsBetter,
            "invalid_phones ÷ contacts whose phone is filled.", ["object"], false, Day),
        new("unreachable_contacts", KpiFamily.DataQuality, "count", KpiDirection.LowerIsBetter,
            "Contacts with neither a valid e-mail nor a valid phone.", ["object"], false, Day) { HasIssues = true },
    ];

    /// <inheritdoc />
    public void Compute(KpiContext context, KpiOutput output)
    {
        var found = Find(context);
        var dims = Dimensions.Of(("object", "contact"));
        DataQualityRecords.AddCount(output, "invalid_emails", "contact", found.InvalidEmails);
        if (found.FilledEmails > 0) output.Add("invalid_email_ratio", (double)found.InvalidEmails.Count / found.FilledEmails, dims);
        DataQualityRecords.AddCount(output, "invalid_phones", "contact", found.InvalidPhones);
        if (found.FilledPhones > 0) output.Add("invalid_phone_ratio", (double)found.InvalidPhones.Count / found.FilledPhones, dims);
        DataQualityRecords.AddCount(output, "unreachable_contacts", "contact", found.Unreachable);
    }

    /// <summary>What one pass over the contacts finds (the score reads it too).</summary>
    internal sealed record Findings(
        int FilledEmails, IssueBuffer InvalidEmails, int FilledPhones, IssueBuffer InvalidPhones, IssueBuffer Unreachable);

    /// <summary>The findings, computed once per pass.</summary>
    internal static Findings Find(KpiContext context) => context.Shared("validity", () => Scan(context));

    private static Findings Scan(KpiContext context)
    {
        var contacts = context.Contacts;
        // Contiguous chunks on every core, joined in record order: the same lists as one scan.
        var parts = Chunks.Map(contacts.Count, (start, end) => Scan(context, contacts, start, end));
        if (parts.Length == 1) return parts[0];
        IssueBuffer Join(Func<Findings, IssueBuffer> list) => DataQualityRecords.Join(parts.Select(list));
        return new Findings(parts.Sum(p => p.FilledEmails), Join(p => p.InvalidEmails), parts.Sum(p => p.FilledPhones),
            Join(p => p.InvalidPhones), Join(p => p.Unreachable));
    }

    private static Findings Scan(KpiContext context, ContactColumns contacts, int start, int end)
    {
        var result = new Findings(0, new(), 0, new(), new());
        var (filledEmails, filledPhones) = (0, 0);
        var quality = context.Options.DataQuality;
        var rows = RecordRows.Of(contacts);
        var country = quality.PhoneCountryField is { } countryField ? rows.Reader(countryField) : null;
        // Parsing a number is the costly part of this scan (about 5 µs): a phone judged when it entered the mirror
        // (Contact.PhoneVerdict, for the same text and region) is not parsed again; the others are, each distinct
        // (region, value) once per chunk (shared numbers such as a switchboard's repeat).
        var phones = new Dictionary<(string Region, string Phone), bool>();
        // An e-mail or phone is made a string only when its number must be parsed: the others (most of a million) are
        // judged from their characters, copied into a buffer, and an issue that names one reads it from the column when
        // the issue is read (a string per invalid value held to the pass's end was 37 MB at a million contacts).
        var (emailBuffer, phoneBuffer) = (new char[64], new char[32]);
        for (var i = start; i < end; i++)
        {
            var emailFilled = contacts.Email.IsFilled(i);
            var phoneFilled = contacts.Phone.IsFilled(i);
            var emailValid = emailFilled && DataQualityChecks.IsValidEmail(Read(contacts.Email, i, ref emailBuffer));
            var phoneValid = false;
            if (phoneFilled)
            {
                var region = country is null ? quality.PhoneRegion : DataQualityChecks.PhoneRegionFor(country(i), quality.PhoneRegion);
                if (DataQualityChecks.StoredVerdict(contacts.Verdict(i), Read(contacts.Phone, i, ref phoneBuffer), region) is { } stored) phoneValid = stored;
                else if (contacts.Phone[i]! is var phone && !phones.TryGetValue((region, phone), out phoneValid))
                {
                    phoneValid = DataQualityChecks.IsValidPhone(phone, region);
                    phones[(region, phone)] = phoneValid;
                }
            }
            if (emailFilled)
            {
                filledEmails++;
                if (!emailValid)
                {
                    DataQualityRecords.Add(result.InvalidEmails, context, "invalid_emails", rows, i, "email", IssueCode.InvalidEmail, contacts.Email);
                }
            }
            if (phoneFilled)
            {
                filledPhones++;
                if (!phoneValid)
                {
                    DataQualityRecords.Add(result.InvalidPhones, context, "invalid_phones", rows, i, "phone", IssueCode.InvalidPhone, contacts.Phone);
                }
            }
            if (!emailValid && !phoneValid)
            {
                // The texts as they are (null, empty or blank), as the record holds them.
                DataQualityRecords.Add(result.Unreachable, context, "unreachable_contacts", rows, i, null, IssueCode.Unreachable,
                    contacts.Email, contacts.Phone);
            }
        }
        return result with { FilledEmails = filledEmails, FilledPhones = filledPhones };
    }

    /// <summary>The characters of a row's text (not null), in <paramref name="buffer"/> (grown when too short).</summary>
    private static ReadOnlySpan<char> Read(TextColumn column, int row, ref char[] buffer)
    {
        var length = column.LengthOf(row);
        if (length > buffer.Length) buffer = new char[Math.Max(length, 2 * buffer.Length)];
        column.CopyTo(row, buffer);
        return buffer.AsSpan(0, length);
    }
}
