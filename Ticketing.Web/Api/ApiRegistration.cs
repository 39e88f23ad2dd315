namespace Ticketing.Web.Api;

/// <summary>The JSON API of the original services, beside the UI.</summary>
public static class ApiRegistration
{
    public static IServiceCollection AddTicketingApi(this IServiceCollection services) => services;

    public static WebApplication MapTicketingApi(this WebApplication app) => app;
}
