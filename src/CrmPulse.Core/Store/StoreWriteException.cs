namespace CrmPulse.Core.Store;

/// <summary>
/// The store could not write (full disk, read-only file, I/O error, locked by another program): nothing of the
/// operation was stored. The message names the store and the database's own words.
/// </summary>
public sealed class StoreWriteException(string message, Exception? inner = null) : Exception(message, inner);
