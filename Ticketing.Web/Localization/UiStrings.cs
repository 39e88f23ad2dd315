namespace Ticketing.Web.Localization;

/// <summary>
/// The UI's words, read through <c>IStringLocalizer&lt;UiStrings&gt;</c> (injected as <c>L</c> in every
/// component). The English text is the key and the default; <c>UiStrings.de.resx</c> holds German
/// (decision 30). A key missing from a language shows in English, never blank.
/// </summary>
public sealed class UiStrings;
