using System.Text.Json.Nodes;
using CrmPulse.Core.Model;

namespace CrmPulse.Sources.Tests.ActiveCampaign;

/// <summary>The API reference's own examples (Recorded/, provenance in SOURCES.md), served by the fake, read as documented.</summary>
public sealed class ActiveCampaignDocsShapeTests
{
    [Fact]
    public async Task The_reference_examples_map_to_the_expected_records()
    {
        using var h = new ActiveCampaignHarness();
        var s = h.Server;
        s.LoadRecorded("users", "activecampaign_users_list_docs.json", "users");
        s.LoadRecorded("accounts", "activecampaign_accounts_list_docs.json", "accounts");
        s.LoadRecorded("accountContacts", "activecampaign_accountContacts_list_docs.json", "accountContacts");
        s.LoadRecorded("contacts", "activecampaign_contact_docs.json", "contacts");
        s.LoadRecorded("dealGroups", "activecampaign_dealGroups_list_docs.json", "dealGroups");
        s.LoadRecorded("dealStages", "activecampaign_dealStages_docs.json", "dealStages");
        s.LoadRecorded("notes", "activecampaign_notes_list_docs.json", "notes");
        s.Add("dealTasks", JsonNode.Parse(RecordedFiles.Read("activecampaign_dealTask_get_docs.json"))!["dealTask"]!.AsObject().DeepClone().AsObject());

        var changes = await h.SyncAsync();

        Assert.Equal([new CrmUser("1", "John Doe", "johndoe@example.com", null, true, false), new CrmUser("5", "Jane Doe", "janedoe@example.com", null, true, false)],
            changes.Users);
        var first = changes.Companies.Single(c => c.Id == "1");
        Assert.Equal(("First Example Account", null, DateTimeOffset.Parse("2019-04-29T12:51:31Z")), (first.Name, first.Domain, first.CreatedAt));
        var contact = changes.Contacts.Single();
        // Contact 1 is linked to account 2 (association 18); blank names and phone are empty, not "".
        Assert.Equal(("1", "johndoe@example.com", (string?)null, (string?)null, "2"), (contact.Id, contact.Email, contact.FirstName, contact.Phone, contact.CompanyId));
        Assert.Equal(DateTimeOffset.Parse("2018-09-28T22:45:11Z"), contact.ModifiedAt);
        var task = changes.Activities.Single(a => a.Type == ActivityType.Task);
        Assert.Equal(("task:1", "2", "5", DateTimeOffset.Parse("2017-02-28T18:00:00Z"), false), (task.Id, task.OwnerId, task.DealId, task.DueAt!.Value, task.Completed));
        var notes = changes.Activities.Where(a => a.Type == ActivityType.Note).OrderBy(a => a.Id).ToList();
        // Note 1 hangs on an activity (no deal, contact or account); note 2 on deal 6.
        Assert.Equal([("note:1", (string?)null), ("note:2", "6")], notes.Select(n => (n.Id, n.DealId)));
        Assert.Equal("1", h.Mirror.Watermarks["activecampaign:contacts:count"]);
    }
}
