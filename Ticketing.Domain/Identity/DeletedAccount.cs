namespace Ticketing.Domain.Identity;

/// <summary>
/// The owner of the records a deleted account leaves behind. Orders and sold listings are kept for
/// the books; their buyer or seller becomes this one id, the same for every deleted account, so that
/// nothing kept links back to the person or ties their purchases together.
/// </summary>
public static class DeletedAccount
{
    public static readonly Guid Id = new("00000000-0000-0000-0000-00000000dead");
}
