using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.Localization;
using Ticketing.Web.Localization;

namespace Ticketing.Web.Components.Account;

/// <summary>
/// A field's validation messages in the reader's language. The data-annotation messages on the account forms are
/// English constants, which are also the keys of their translations, so they are translated here, as they are shown;
/// the markup is the same as <see cref="ValidationMessage{TValue}"/>'s.
/// </summary>
public sealed class LocalizedValidationMessage<TValue> : ValidationMessage<TValue>
{
    [CascadingParameter]
    private EditContext? Form { get; set; }

    [Inject]
    private IStringLocalizer<UiStrings> L { get; set; } = default!;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (Form is null || For is null)
        {
            return;
        }

        foreach (var message in Form.GetValidationMessages(FieldIdentifier.Create(For)))
        {
            builder.OpenElement(0, "div");
            builder.AddAttribute(1, "class", "validation-message");
            builder.AddMultipleAttributes(2, AdditionalAttributes);
            builder.AddContent(3, L[message].Value);
            builder.CloseElement();
        }
    }
}
