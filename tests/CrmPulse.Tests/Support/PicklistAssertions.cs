using CrmPulse.Core.Kpis;
using CrmPulse.Core.Model;
using CrmPulse.Sources.Demo;

namespace CrmPulse.Tests.Support;

/// <summary>Checks inconsistent_picklist_values issues against the demo's planted spelling variants.</summary>
internal static class PicklistAssertions
{
    /// <summary>
    /// For every planted "object.field": the spellings on the issue records plus the one spelling left without issues
    /// (the dominant) are exactly the planted groups, and every record carrying a non-dominant spelling is an issue.
    /// </summary>
    public static void MatchPlantedVariants(DemoFacts facts, IEnumerable<RecordIssue> issues, CrmSnapshot snapshot)
    {
        var records = snapshot.Contacts.Cast<CrmRecord>().Concat(snapshot.Companies).Concat(snapshot.Deals)
            .ToDictionary(r => (r.ObjectType, r.Id));
        var picklist = issues.Where(i => i.Kpi == "inconsistent_picklist_values").ToList();
        foreach (var (key, groups) in facts.PicklistVariants)
        {
            var (obj, field) = (key.Split('.')[0], key.Split('.')[1]);
            var flagged = picklist.Where(i => i.Object == obj && i.Field == field)
                .Select(i => records[(obj, i.RecordId)].GetField(field)!).ToList();
            var all = snapshot.Contacts.Cast<CrmRecord>().Concat(snapshot.Companies).Concat(snapshot.Deals)
                .Where(x => x.ObjectType == obj).Select(x => x.GetField(field)).Where(CrmRecord.IsFilled).Select(v => v!).ToList();
            foreach (var group in groups)
            {
                var minority = group.Where(flagged.Contains).ToList();
                Assert.Equal(group.Count - 1, minority.Count); // all spellings but the dominant one are flagged
                Assert.Equal(all.Count(minority.Contains), flagged.Count(minority.Contains)); // on every record carrying them
            }
            Assert.All(flagged, v => Assert.Contains(groups, g => g.Contains(v))); // nothing outside the planted groups
        }
    }
}
