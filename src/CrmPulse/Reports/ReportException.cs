namespace CrmPulse.Reports;

/// <summary>A report that cannot be made or sent, with a message saying why and what to change.</summary>
public sealed class ReportException(string message, Exception? inner = null) : Exception(message, inner);
