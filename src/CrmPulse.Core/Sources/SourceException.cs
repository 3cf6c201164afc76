namespace CrmPulse.Core.Sources;

/// <summary>A whole sync failed: the message names the source and what is wrong. Nothing of it is committed.</summary>
public sealed class SourceException(string message, Exception? inner = null) : Exception(message, inner);
