namespace CrmPulse.Core.Model;

/// <summary>
/// libphonenumber's verdict on a contact's phone: whether it is a valid number when judged by <paramref name="Region"/>,
/// and a fingerprint of the text judged (<see cref="Kpis.DataQualityChecks.PhoneFingerprint"/>), so that a verdict
/// copied with a record whose phone changed is not taken for the new number.
/// </summary>
public readonly record struct PhoneVerdict(string Region, bool Valid, uint Phone);
