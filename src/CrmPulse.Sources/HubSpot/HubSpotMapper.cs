using CrmPulse.Core.Model;
using CrmPulse.Core.Sources;

namespace CrmPulse.Sources.HubSpot;

/// <summary>
/// Pure mapping of HubSpot records (string-typed properties) to the mirror's model. Values that do not parse are
/// reported as notices (the record is kept) and left empty; they never fail the sync.
/// </summary>
internal sealed class HubSpotMapper(
    IReadOnlyDictionary<string, HubSpotStage> stages,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> customTypes,
    List<SourceProblem> problems,
    string lostReasonProperty = HubSpotSource.DefaultLostReasonProperty)
{
    private string _location = "";

    public Contact Contact(HubSpotRecord r)
    {
        _location = $"contacts/{r.Id}";
        var stage = r.Get("lifecyclestage");
        var leadDate = Time(r, "hs_lifecyclestage_lead_date");
        var isLead = leadDate is not null || string.Equals(stage, "lead", StringComparison.OrdinalIgnoreCase);
        var opportunity = Time(r, "hs_lifecyclestage_opportunity_date");
        var customer = Time(r, "hs_lifecyclestage_customer_date");
        var converted = new[] { opportunity, customer }.Where(t => t is not null).Min();
        // The funnel's stage history: HubSpot stamps the date a contact entered each lifecycle stage.
        Dictionary<string, DateTimeOffset>? stageDates = null;
        foreach (var (funnelStage, at) in new[] { ("mql", Time(r, "hs_lifecyclestage_marketingqualifiedlead_date")),
                     ("sql", Time(r, "hs_lifecyclestage_salesqualifiedlead_date")), ("opportunity", opportunity), ("won", customer) })
        {
            if (at is { } t) (stageDates ??= new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal))[funnelStage] = t;
        }
        return new Contact
        {
            Id = r.Id,
            OwnerId = r.Get("hubspot_owner_id"),
            CreatedAt = Time(r, "createdate") ?? r.CreatedAt ?? r.UpdatedAt ?? default,
            ModifiedAt = Time(r, "lastmodifieddate") ?? r.UpdatedAt ?? default,
            FirstName = r.Get("firstname"),
            LastName = r.Get("lastname"),
            Email = r.Get("email"),
            Phone = r.Get("phone"),
            CompanyId = r.Get("associatedcompanyid") ?? r.FirstAssociation("companies"),
            LifecycleStage = stage,
            LeadStatus = r.Get("hs_lead_status"),
            IsLead = isLead,
            ConvertedAt = isLead ? converted : null,
            LeadSource = r.Get("hs_analytics_source"),
            StageDates = stageDates,
            Custom = Custom(r, "contact", "contacts"),
        };
    }

    public Company Company(HubSpotRecord r)
    {
        _location = $"companies/{r.Id}";
        return new Company
        {
            Id = r.Id,
            OwnerId = r.Get("hubspot_owner_id"),
            CreatedAt = Time(r, "createdate") ?? r.CreatedAt ?? r.UpdatedAt ?? default,
            ModifiedAt = Time(r, "hs_lastmodifieddate") ?? r.UpdatedAt ?? default,
            Name = r.Get("name"),
            Domain = r.Get("domain"),
            Industry = r.Get("industry"),
            // The association is what HubSpot's UI shows; the property can lag behind it or be left empty by imports.
            ParentId = r.AssociatedParentId ?? r.Get("hs_parent_company_id"),
            Custom = Custom(r, "company", "companies"),
        };
    }

    public Deal Deal(HubSpotRecord r)
    {
        _location = $"deals/{r.Id}";
        var stageId = r.Get("dealstage");
        var stage = stageId is null ? null : stages.GetValueOrDefault(stageId);
        var won = Bool(r, "hs_is_closed_won") == true;
        var lost = Bool(r, "hs_is_closed_lost") == true;
        // A deal without a stage came back with hs_is_closed null but hs_is_closed_lost "true": trust the won/lost flags.
        // Without pipeline metadata, the built-in stage ids still say it.
        var builtInWon = stage is null && stageId == "closedwon";
        var closed = Bool(r, "hs_is_closed") == true || won || lost || stage?.IsClosed == true || builtInWon || (stage is null && stageId == "closedlost");
        if (!won && !lost && closed && (stage is { Probability: >= 1m } || builtInWon)) won = true;
        var closeDate = Time(r, "closedate");
        return new Deal
        {
            Id = r.Id,
            OwnerId = r.Get("hubspot_owner_id"),
            CreatedAt = Time(r, "createdate") ?? r.CreatedAt ?? r.UpdatedAt ?? default,
            ModifiedAt = Time(r, "hs_lastmodifieddate") ?? r.UpdatedAt ?? default,
            Name = r.Get("dealname"),
            Pipeline = r.Get("pipeline") ?? stage?.PipelineId,
            Stage = stageId,
            Amount = Decimal(r, "amount"),
            CloseDate = closeDate is { } c ? DateOnly.FromDateTime(c.UtcDateTime) : null,
            CompanyId = r.FirstAssociation("companies"),
            ContactId = r.FirstAssociation("contacts"),
            IsClosed = closed,
            IsWon = won,
            ClosedAt = closed ? (won ? Time(r, "hs_closed_won_date") : null) ?? closeDate : null,
            LostReason = r.Get(lostReasonProperty),
            StageEnteredAt = Time(r, "hs_v2_date_entered_current_stage") ?? (stageId is null ? null : Time(r, $"hs_date_entered_{stageId}")),
            Custom = Custom(r, "deal", "deals"),
        };
    }

    public Activity Activity(HubSpotRecord r, ActivityType type)
    {
        _location = $"{type.Tag()}s/{r.Id}";
        var created = Time(r, "hs_createdate") ?? r.CreatedAt ?? r.UpdatedAt ?? default;
        var timestamp = Time(r, "hs_timestamp");
        var direction = type switch
        {
            ActivityType.Call => r.Get("hs_call_direction")?.ToUpperInvariant() switch { "INBOUND" => "inbound", "OUTBOUND" => "outbound", _ => null },
            ActivityType.Email => r.Get("hs_email_direction")?.ToUpperInvariant() switch
            {
                "INCOMING_EMAIL" => "inbound",
                "EMAIL" or "FORWARDED_EMAIL" => "outbound",
                _ => null,
            },
            _ => null,
        };
        var isTask = type == ActivityType.Task;
        return new Activity(r.Id, type, r.Get("hubspot_owner_id"),
            // A task's hs_timestamp is its due date; the task was "done" as activity when it was logged.
            OccurredAt: isTask ? created : timestamp ?? created,
            CreatedAt: created,
            ModifiedAt: Time(r, "hs_lastmodifieddate") ?? r.UpdatedAt ?? created,
            ContactId: r.FirstAssociation("contacts"),
            CompanyId: r.FirstAssociation("companies"),
            DealId: r.FirstAssociation("deals"),
            Direction: direction,
            DueAt: isTask ? timestamp : null,
            Completed: isTask && string.Equals(r.Get("hs_task_status"), "COMPLETED", StringComparison.OrdinalIgnoreCase));
    }

    private IReadOnlyDictionary<string, string?> Custom(HubSpotRecord r, string configObject, string objectName)
    {
        if (!customTypes.TryGetValue(configObject, out var types) || types.Count == 0) return new Dictionary<string, string?>();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, type) in types)
        {
            var raw = r.Properties.GetValueOrDefault(name);
            values[name] = HubSpotValues.Convert(type, raw, out var invalid);
            if (invalid) problems.Add(new SourceProblem($"{objectName}/{r.Id}", null, name, $"'{raw}' is not a valid {type} value; counted as empty."));
        }
        return values;
    }

    private DateTimeOffset? Time(HubSpotRecord r, string name)
    {
        var raw = r.Get(name);
        var value = HubSpotValues.DateTime(raw);
        if (raw is not null && value is null) Invalid(r, name, raw, "date-time");
        return value;
    }

    private decimal? Decimal(HubSpotRecord r, string name)
    {
        var raw = r.Get(name);
        var value = HubSpotValues.Decimal(raw);
        if (raw is not null && value is null) Invalid(r, name, raw, "number");
        return value;
    }

    private bool? Bool(HubSpotRecord r, string name)
    {
        var raw = r.Get(name);
        var value = HubSpotValues.Bool(raw);
        if (raw is not null && value is null) Invalid(r, name, raw, "boolean");
        return value;
    }

    private void Invalid(HubSpotRecord r, string name, string raw, string what) =>
        problems.Add(new SourceProblem(_location, null, name, $"'{raw}' is not a valid {what}; left empty."));
}
