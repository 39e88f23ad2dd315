namespace Ticketing.Infrastructure.Payments;

/// <summary>The messages both gateways answer with, so that the buyer reads the same words in test mode.</summary>
internal static class GatewayMessages
{
    public const string Declined = "Your card was declined.";

    public const string UnknownToken = "Unknown payment token";
}
