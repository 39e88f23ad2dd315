using Ticketing.Infrastructure.Common;

namespace Ticketing.Infrastructure.Email;

/// <summary>Wakes <see cref="EmailDelivery"/> right after a commit that queued an e-mail.</summary>
public sealed class EmailSignal : WakeSignal;
