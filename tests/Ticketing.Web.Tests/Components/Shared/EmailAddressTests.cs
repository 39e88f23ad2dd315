using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Web.Components.Shared;

namespace Ticketing.Web.Tests.Components.Shared;

/// <summary>An address in a narrow column wraps after its @ or before a dot, never in the middle of a word.</summary>
public sealed class EmailAddressTests : BunitContext
{
    public EmailAddressTests() => Services.AddLocalization();

    [Theory]
    [InlineData("sofia.rossi@demo.ticketing.local", new[] { "sofia", ".rossi@", "demo", ".ticketing", ".local" })]
    [InlineData("ada@example.com", new[] { "ada@", "example", ".com" })]
    [InlineData("nodots", new[] { "nodots" })]
    [InlineData(".leading@x", new[] { ".leading@", "x" })]
    public void Parts_BreakAfterTheAtAndBeforeEveryDot_AndKeepEveryCharacter(string address, string[] parts)
    {
        Assert.Equal(parts, EmailAddress.Parts(address));
        Assert.Equal(address, string.Concat(EmailAddress.Parts(address)));
    }

    [Fact]
    public void Rendered_TheAddressReadsWhole_WithBreakOpportunitiesOnly_AndItsFullTextAsTitle()
    {
        var cut = Render<EmailAddress>(p => p.Add(c => c.Value, "sofia.rossi@demo.ticketing.local"));

        var span = cut.Find(".email-address");
        Assert.Equal("sofia.rossi@demo.ticketing.local", span.TextContent);
        Assert.Equal("sofia.rossi@demo.ticketing.local", span.GetAttribute("title"));
        Assert.Equal(4, cut.FindAll("wbr").Count);
    }

    [Fact]
    public void WithoutAnAddress_TheFallbackStandsInForIt()
    {
        var cut = Render<EmailAddress>(p => p.Add(c => c.Value, null).Add(c => c.Fallback, "(deleted account)"));

        Assert.Equal("(deleted account)", cut.Markup.Trim());
    }
}
