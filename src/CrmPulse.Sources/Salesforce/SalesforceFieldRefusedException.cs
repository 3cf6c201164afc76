namespace CrmPulse.Sources.Salesforce;

/// <summary>
/// A query refused because of a field or relationship it names (400 INVALID_FIELD, or INVALID_TYPE about a
/// relationship), or refused as malformed. The reader drops a standard field (or, for MALFORMED_QUERY, the child
/// sub-query) the source can do without and asks again; anything else becomes a
/// <see cref="CrmPulse.Core.Sources.SourceException"/> with <see cref="Exception.Message"/>.
/// </summary>
internal sealed class SalesforceFieldRefusedException(string message, SalesforceError error) : Exception(message)
{
    public SalesforceError Error { get; } = error;
}
