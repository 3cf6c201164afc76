namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// The LoginHistory rows one sync read, by what they are. Only human logins (UI login types, or the Salesforce mobile
/// apps) go to the mirror; API and integration logins (connected apps, Apex API, …) are counted here and never make
/// anyone an active user.
/// </summary>
/// <param name="Human">Successful human logins mirrored.</param>
/// <param name="HumanFailed">Failed human login attempts mirrored (they never count as activity).</param>
/// <param name="Api">Successful API and integration logins (mirrored with Interactive false, never counted as use).</param>
public sealed record SalesforceLoginCounts(int Human, int HumanFailed, int Api);
