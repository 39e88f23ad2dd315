using Ticketing.Testing;

namespace Ticketing.Infrastructure.Tests.Support;

/// <summary>A test class with its own app, whose e-mail goes to a real SMTP server in the test process.</summary>
public abstract class MailboxTests(IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected SmtpSink Sink { get; private set; } = null!;

    protected TicketingApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink = await SmtpSink.StartAsync();
        App = Mailboxes.AppSendingTo(Sink, settings);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
