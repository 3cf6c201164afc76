using CrmPulse.Core.Model;

namespace CrmPulse.Core.Dedupe;

/// <summary>
/// A person as the matcher sees it: what a CRM contact (or a row of a contacts CSV) says about who they are. Every
/// field is optional; a field missing on either side of a pair neither helps nor hurts that pair.
/// </summary>
/// <remarks>
/// From a <see cref="Contact"/> (<see cref="FromContact"/>), the address and birth date come from its custom fields
/// <see cref="StreetField"/> ("street"), <see cref="CityField"/> ("city"), <see cref="PostcodeField"/> ("postcode"),
/// <see cref="StateField"/> ("state") and <see cref="BirthDateField"/> ("birth_date"), when the source maps them.
/// </remarks>
public sealed record PersonRecord
{
    public const string StreetField = "street";
    public const string CityField = "city";
    public const string PostcodeField = "postcode";
    public const string StateField = "state";
    public const string BirthDateField = "birth_date";

    /// <summary>The record's id (the CRM's, or the CSV's id column).</summary>
    public required string Id { get; init; }

    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }

    /// <summary>The person's company (organisation name as typed; compared without legal suffixes).</summary>
    public string? Company { get; init; }

    /// <summary>Street address: number and street name (e.g. "6 tullaroop street").</summary>
    public string? Street { get; init; }

    /// <summary>City, town or suburb.</summary>
    public string? City { get; init; }

    public string? Postcode { get; init; }
    public string? State { get; init; }

    /// <summary>Date of birth as written; compared by its digits (YYYYMMDD, YYYY-MM-DD, …: the same format on both sides).</summary>
    public string? BirthDate { get; init; }

    /// <summary>When the record was created, when known: the oldest record of a cluster is its survivor.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The matcher's view of a contact. <paramref name="companyName"/> is its company's name when known; the
    /// company id stands in for it otherwise (two contacts of the same company record still agree).</summary>
    public static PersonRecord FromContact(Contact contact, string? companyName) => new()
    {
        Id = contact.Id,
        FirstName = contact.FirstName,
        LastName = contact.LastName,
        Email = contact.Email,
        Phone = contact.Phone,
        Company = companyName ?? (contact.CompanyId is { } id ? "#" + id : null),
        Street = contact.Custom.GetValueOrDefault(StreetField),
        City = contact.Custom.GetValueOrDefault(CityField),
        Postcode = contact.Custom.GetValueOrDefault(PostcodeField),
        State = contact.Custom.GetValueOrDefault(StateField),
        BirthDate = contact.Custom.GetValueOrDefault(BirthDateField),
        CreatedAt = contact.CreatedAt,
    };
}
