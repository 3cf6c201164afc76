using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// A person as the matcher sees it: what a CRM contact (or a row of a contacts CSV) says about who they are. Every
/// field is optional; a field missing on either side of a pair neither helps nor hurts that pair.
/// </summary>
/// <remarks>
/// From a <see cref="Contact"/> (<see cref="FromContact"/>), the address and birth date come from its custom fields
/// "street", "city", "postcode", "state" and "birth_date", or the first present of their aliases
/// (<see cref="CustomFieldAliases"/>: e.g. "postal_code" and "zip", the snake_case keys that HubSpot's "Postal Code" and
/// Salesforce's "Mailing Zip/Postal Code" exports become in a File source).
/// </remarks>
public sealed record PersonRecord
{
    /// <summary>The custom-field keys read for each address and birth-date field, in order; the first filled one counts.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CustomFieldAliases = new Dictionary<string, string[]>
    {
        ["street"] = ["street", "street_address", "mailing_street", "address"],
        ["city"] = ["city", "mailing_city", "town"],
        ["postcode"] = ["postcode", "postal_code", "zip", "zip_code", "mailing_zip_postal_code"],
        ["state"] = ["state", "state_region", "mailing_state_province", "region"],
        ["birth_date"] = ["birth_date", "birthdate", "date_of_birth", "dob"],
    };

    /// <summary>The record's id (the CRM's, or the CSV's id column).</summary>
    public required string Id { get; init; }

    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>The person's company (organisation name as typed; compared without legal suffixes). Used only when
    /// either side has no <see cref="CompanyId"/>.</summary>
    public string? Company { get; init; }

    /// <summary>The id of the person's company record, when known. Two people who both have one are compared by it:
    /// "Larsen Ltd 16" and "Larsen GmbH 24" are alike as names but two companies.</summary>
    public string? CompanyId { get; init; }

    /// <summary>Street address: number and street name (e.g. "6 tullaroop street").</summary>
    public string? Street { get; init; }

    /// <summary>City, town or suburb.</summary>
    public string? City { get; init; }

    public string? Postcode { get; init; }
    public string? State { get; init; }

    /// <summary>Date of birth as written; compared by its digits (YYYYMMDD, YYYY-MM-DD, …: the same format on both sides).</summary>
    public string? BirthDate { get; init; }

    /// <summary>The values of the extra fields (<see cref="DedupeOptions.ExtraFields"/>) by field name; a field
    /// missing here, or empty, neither helps nor hurts.</summary>
    public IReadOnlyDictionary<string, string?>? Extra { get; init; }

    /// <summary>When the record was created, when known: the oldest record of a cluster is its survivor.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The matcher's view of a contact. Its company is compared by id (<see cref="CompanyId"/>);
    /// <paramref name="companyName"/> is kept as the company's name for a comparison with a record that has no id.</summary>
    public static PersonRecord FromContact(Contact contact, string? companyName) => new()
    {
        Id = contact.Id,
        FirstName = contact.FirstName,
        LastName = contact.LastName,
        Email = contact.Email,
        Phone = contact.Phone,
        Company = companyName,
        CompanyId = contact.CompanyId,
        Street = Custom(contact, "street"),
        City = Custom(contact, "city"),
        Postcode = Custom(contact, "postcode"),
        State = Custom(contact, "state"),
        BirthDate = Custom(contact, "birth_date"),
        CreatedAt = contact.CreatedAt,
    };

    /// <summary>The first filled value of a field's <see cref="CustomFieldAliases"/> among the contact's custom fields.</summary>
    internal static string? Custom(Contact contact, string field) => Custom(contact.Custom, field);

    /// <summary>The first filled value of a field's <see cref="CustomFieldAliases"/> among a contact's custom fields.</summary>
    internal static string? Custom(IReadOnlyDictionary<string, string?> custom, string field)
    {
        if (custom.Count == 0) return null;
        foreach (var key in CustomFieldAliases[field])
        {
            if (custom.GetValueOrDefault(key) is { } v && CrmRecord.IsFilled(v)) return v;
        }
        return null;
    }
}
