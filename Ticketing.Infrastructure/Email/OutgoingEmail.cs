namespace Ticketing.Infrastructure.Email;

/// <summary>One e-mail to one person, in plain text and simple HTML (no external images).</summary>
public sealed record OutgoingEmail(string To, string Subject, string Text, string Html);
