namespace Ticketing.Infrastructure;

/// <summary>
/// A setting the app cannot run with, found while its services are put together. The message names
/// the setting and what it takes; the app refuses to start with it, as with every other refusal,
/// before it touches the database.
/// </summary>
public sealed class InvalidSettingException(string message) : InvalidOperationException(message);
