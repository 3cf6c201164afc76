namespace CrmPulse.Core.Model;

/// <summary>One login attempt by a user.</summary>
/// <param name="Id">Unique id of the event (the CRM's, or derived from user and time).</param>
/// <param name="UserId">The user who logged in.</param>
/// <param name="At">When.</param>
/// <param name="Succeeded">Only successful logins count as activity.</param>
/// <param name="Kind">The CRM's login type or application (e.g. "Application", "Remote Access 2.0"), informational.</param>
/// <param name="Interactive">False for an API or integration login (an OAuth app, the SOAP or REST API): it is kept
/// and reported as <c>api_logins_30d</c>, but never makes anyone active. Default true.</param>
public sealed record LoginEvent(string Id, string UserId, DateTimeOffset At, bool Succeeded, string? Kind = null, bool Interactive = true);
