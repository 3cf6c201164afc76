namespace CrmPulse.Sources.Salesforce;

/// <summary>An access token and the org's instance URL (every REST call goes there), from the token endpoint.</summary>
/// <param name="AccessToken">The bearer token.</param>
/// <param name="InstanceUrl">instance_url of the token response, e.g. https://mydomain.my.salesforce.com.</param>
/// <param name="IssuedAt">issued_at of the token response (epoch milliseconds), or when it was received.</param>
public sealed record SalesforceSession(string AccessToken, Uri InstanceUrl, DateTimeOffset IssuedAt);
