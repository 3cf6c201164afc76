namespace CrmPulse.Core.Model;

/// <summary>
/// Reading a field by name (<see cref="CrmRecord.GetField"/>) resolved once per field instead of once per record: the
/// data-quality families read a few fields of a million records, and a string switch per cell, or formatting an amount
/// or a date only to see that it is filled, is most of their time. Same answers as <see cref="CrmRecord.GetField"/>.
/// </summary>
public static class FieldAccess
{
    /// <summary>Reads <paramref name="name"/> on records of <paramref name="objectType"/> ("contact", "company", "deal"):
    /// exactly <see cref="CrmRecord.GetField"/>, without the switch per record for text fields.</summary>
    public static Func<CrmRecord, string?> Reader(string objectType, string name) => (objectType, name) switch
    {
        (_, "id") => r => r.Id,
        (_, "owner") => r => r.OwnerId,
        ("contact", "first_name") => r => ((Contact)r).FirstName,
        ("contact", "last_name") => r => ((Contact)r).LastName,
        ("contact", "email") => r => ((Contact)r).Email,
        ("contact", "phone") => r => ((Contact)r).Phone,
        ("contact", "company") => r => ((Contact)r).CompanyId,
        ("contact", "lifecycle_stage") => r => ((Contact)r).LifecycleStage,
        ("contact", "lead_status") => r => ((Contact)r).LeadStatus,
        ("contact", "lead_source") => r => ((Contact)r).LeadSource,
        ("company", "name") => r => ((Company)r).Name,
        ("company", "domain") => r => ((Company)r).Domain,
        ("company", "industry") => r => ((Company)r).Industry,
        ("company", "parent") => r => ((Company)r).ParentId,
        ("deal", "name") => r => ((Deal)r).Name,
        ("deal", "pipeline") => r => ((Deal)r).Pipeline,
        ("deal", "stage") => r => ((Deal)r).Stage,
        ("deal", "company") => r => ((Deal)r).CompanyId,
        ("deal", "contact") => r => ((Deal)r).ContactId,
        ("deal", "lost_reason") => r => ((Deal)r).LostReason,
        // Formatted fields (amount, dates) and custom ones: as GetField reads them.
        _ => r => r.GetField(name),
    };

    /// <summary>True when <paramref name="name"/> is filled (<see cref="CrmRecord.IsFilled"/> of <see cref="CrmRecord.GetField"/>)
    /// on records of <paramref name="objectType"/>, without formatting amounts and dates.</summary>
    public static Func<CrmRecord, bool> FilledTest(string objectType, string name)
    {
        switch (objectType, name)
        {
            // A number or a date formats to a non-empty text exactly when it is there.
            case ("deal", "amount"): return r => ((Deal)r).Amount is not null;
            case ("deal", "close_date"): return r => ((Deal)r).CloseDate is not null;
            case ("contact", "created_at"): return _ => true;
            default:
                var read = Reader(objectType, name);
                return r => CrmRecord.IsFilled(read(r));
        }
    }
}
