namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// One authenticated Salesforce session, from the token endpoint's answer.
/// </summary>
/// <param name="AccessToken">The bearer token for REST calls. A secret: never log it or put it in a message.</param>
/// <param name="InstanceUrl">The org's host (instance_url) every REST call goes to, e.g. https://acme.my.salesforce.com.</param>
/// <param name="IssuedAt">When Salesforce issued the token (issued_at, epoch milliseconds sent as a string); the local
/// clock's time when the answer lacks it.</param>
public sealed record SalesforceSession(string AccessToken, Uri InstanceUrl, DateTimeOffset IssuedAt);
