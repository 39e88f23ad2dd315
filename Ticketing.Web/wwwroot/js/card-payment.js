// Stripe's Payment Element on the order page. The card is typed into Stripe's frame and goes from
// the browser to Stripe; this page only ever holds the ConfirmationToken that stands for it, which
// the server confirms the order's PaymentIntent with. Stripe.js is loaded from js.stripe.com (never
// bundled, as Stripe requires) and only on the page that takes a card.

const stripeJs = "https://js.stripe.com/v3/";
const forms = new WeakMap();
let loading = null;

function loadStripe() {
    if (window.Stripe) {
        return Promise.resolve(window.Stripe);
    }

    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = stripeJs;
        script.async = true;
        script.onload = () => window.Stripe ? resolve(window.Stripe) : reject(new Error("Stripe.js did not start."));
        script.onerror = () => {
            loading = null;
            script.remove();
            reject(new Error("Stripe.js could not be loaded."));
        };
        document.head.appendChild(script);
    });
    return loading;
}

function message(error, fallback) {
    return (error && error.message) || fallback;
}

// Mounts the Payment Element into host for an order of amount (minor units) in currency. Card only,
// like the order's PaymentIntent, so that the token Stripe.js makes fits the intent it confirms.
export async function mount(host, publishableKey, amount, currency) {
    try {
        const Stripe = await loadStripe();
        const stripe = Stripe(publishableKey);
        const elements = stripe.elements({ mode: "payment", amount, currency, paymentMethodTypes: ["card"] });
        const element = elements.create("payment", { layout: "tabs" });
        element.mount(host);
        forms.set(host, { stripe, elements, element });
        return { ok: true, error: null };
    } catch (e) {
        return { ok: false, error: message(e, "The card form could not be loaded.") };
    }
}

// Checks the form and has Stripe make a ConfirmationToken for the card typed into it.
export async function createToken(host) {
    const form = forms.get(host);
    if (!form) {
        return { token: null, error: "The card form is not ready yet." };
    }

    const { error: invalid } = await form.elements.submit();
    if (invalid) {
        return { token: null, error: message(invalid, "Check the card details.") };
    }

    const { error, confirmationToken } = await form.stripe.createConfirmationToken({ elements: form.elements });
    return error
        ? { token: null, error: message(error, "Stripe could not read the card.") }
        : { token: confirmationToken.id, error: null };
}

// Takes the buyer through their bank's step (3-D Secure) for the PaymentIntent the server confirmed.
// Resolves when the bank's window closes; the order itself is settled by Stripe's webhook.
export async function handleNextAction(host, clientSecret) {
    const form = forms.get(host);
    if (!form) {
        return { status: null, error: "The card form is not ready yet." };
    }

    try {
        const { error, paymentIntent } = await form.stripe.handleNextAction({ clientSecret });
        return { status: paymentIntent ? paymentIntent.status : null, error: error ? message(error, "Your bank did not confirm the payment.") : null };
    } catch (e) {
        return { status: null, error: message(e, "Your bank's window could not be opened.") };
    }
}

export function destroy(host) {
    const form = forms.get(host);
    if (form) {
        forms.delete(host);
        try {
            form.element.destroy();
        } catch {
            // Already gone with the page.
        }
    }
}
