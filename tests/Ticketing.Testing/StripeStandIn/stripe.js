// A stand-in for https://js.stripe.com/v3/, served by StripeStub to the browser tests (Playwright
// routes Stripe's host names to the stub). It is the small part of Stripe.js the order page uses,
// shaped like the real thing: the Payment Element lives in its own frame on js.stripe.com, which
// alone sees the card and sends it to api.stripe.com; createConfirmationToken needs elements.submit()
// first; handleNextAction opens the bank's 3-D Secure page from hooks.stripe.com over the page.
(function () {
    "use strict";

    var JS_ORIGIN = "https://js.stripe.com";
    var API = "https://api.stripe.com";
    var HOOKS_ORIGIN = "https://hooks.stripe.com";

    function integrationError(message) {
        var error = new Error("IntegrationError: " + message);
        error.name = "IntegrationError";
        return error;
    }

    function getIntent(key, clientSecret) {
        var id = String(clientSecret).split("_secret_")[0];
        var query = new URLSearchParams({ key: key, client_secret: clientSecret });
        return fetch(API + "/v1/payment_intents/" + encodeURIComponent(id) + "?" + query.toString())
            .then(function (response) { return response.json(); });
    }

    // Asks the card frame something over a private channel; only the frame holds the card.
    function ask(frame, message) {
        return new Promise(function (resolve) {
            var channel = new MessageChannel();
            channel.port1.onmessage = function (event) { resolve(event.data); };
            frame.contentWindow.postMessage(message, JS_ORIGIN, [channel.port2]);
        });
    }

    function PaymentElement(elements) {
        this._elements = elements;
        this._frame = null;
        this._listeners = {};
        var self = this;
        this._loaded = new Promise(function (resolve) { self._markLoaded = resolve; });
    }

    PaymentElement.prototype.mount = function (target) {
        var host = typeof target === "string" ? document.querySelector(target) : target;
        if (!host) {
            throw integrationError("The selector you specified (" + target + ") applies to no DOM elements.");
        }

        var options = this._elements._options;
        var frame = document.createElement("iframe");
        frame.name = "__privateStripeFrame" + Math.floor(Math.random() * 100000);
        frame.title = "Secure payment input frame";
        frame.setAttribute("frameborder", "0");
        frame.setAttribute("scrolling", "no");
        frame.allow = "payment *";
        frame.src = JS_ORIGIN + "/v3/elements-inner-payment.html#" + new URLSearchParams({
            amount: String(options.amount),
            currency: options.currency,
        }).toString();
        frame.style.cssText = "display:block;width:100%;height:196px;border:0;background:transparent;";
        var self = this;
        frame.addEventListener("load", function () {
            self._markLoaded();
            (self._listeners.ready || []).forEach(function (handler) { handler({ elementType: "payment" }); });
        });
        host.appendChild(frame);
        this._frame = frame;
    };

    PaymentElement.prototype.on = function (event, handler) {
        (this._listeners[event] = this._listeners[event] || []).push(handler);
        return this;
    };

    PaymentElement.prototype.unmount = function () {
        if (this._frame) {
            this._frame.remove();
            this._frame = null;
        }
    };

    PaymentElement.prototype.destroy = PaymentElement.prototype.unmount;

    function Elements(key, options) {
        if (!options || options.mode !== "payment" || !(options.amount > 0) || !options.currency) {
            throw integrationError("elements() without a clientSecret needs mode 'payment', an amount and a currency.");
        }

        this._key = key;
        this._options = options;
        this._element = null;
        this._submitted = false;
    }

    Elements.prototype.create = function (type) {
        if (type !== "payment") {
            throw integrationError("This stand-in only has the Payment Element, not '" + type + "'.");
        }

        if (this._element) {
            throw integrationError("Can only create one Element of type payment.");
        }

        this._element = new PaymentElement(this);
        return this._element;
    };

    Elements.prototype.submit = function () {
        var self = this;
        var element = self._element;
        if (!element || !element._frame) {
            return Promise.reject(integrationError("Mount the Payment Element before calling elements.submit()."));
        }

        return element._loaded
            .then(function () { return ask(element._frame, { type: "validate" }); })
            .then(function (answer) {
                self._submitted = answer.complete === true;
                return self._submitted ? {} : { error: { type: "validation_error", message: answer.message } };
            });
    };

    // The bank's page over the merchant's page, until the bank's frame says it is done.
    function challenge(url) {
        return new Promise(function (resolve) {
            var overlay = document.createElement("div");
            overlay.setAttribute("data-stripe-challenge", "");
            overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,0.45);"
                + "display:flex;align-items:center;justify-content:center;";
            var frame = document.createElement("iframe");
            frame.name = "stripe-challenge-frame";
            frame.title = "3D Secure challenge";
            frame.src = url;
            frame.style.cssText = "width:440px;max-width:94vw;height:300px;border:0;border-radius:8px;background:#fff;";
            overlay.appendChild(frame);
            document.body.appendChild(overlay);

            function onMessage(event) {
                if (event.origin !== HOOKS_ORIGIN || !event.data || event.data.type !== "stripe-3ds-result") {
                    return;
                }

                window.removeEventListener("message", onMessage);
                overlay.remove();
                resolve();
            }

            window.addEventListener("message", onMessage);
        });
    }

    function Stripe(key) {
        if (!/^pk_(test|live)_/.test(String(key))) {
            throw integrationError("Invalid value for Stripe(): apiKey should be a publishable key.");
        }

        return {
            elements: function (options) {
                return new Elements(key, options);
            },

            createConfirmationToken: function (options) {
                var elements = options && options.elements;
                if (!elements || !elements._submitted) {
                    return Promise.reject(integrationError("elements.submit() must be called before stripe.createConfirmationToken()."));
                }

                elements._submitted = false;
                return ask(elements._element._frame, { type: "createConfirmationToken", key: key }).then(function (answer) {
                    return answer.error ? { error: answer.error } : { confirmationToken: answer.confirmationToken };
                });
            },

            handleNextAction: function (options) {
                var clientSecret = options && options.clientSecret;
                if (!clientSecret) {
                    return Promise.reject(integrationError("handleNextAction needs a clientSecret."));
                }

                return getIntent(key, clientSecret).then(function (intent) {
                    if (intent.error) {
                        return { error: intent.error };
                    }

                    if (intent.status !== "requires_action" || !intent.next_action || !intent.next_action.use_stripe_sdk) {
                        return {
                            error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", message: "This PaymentIntent needs no action." },
                            paymentIntent: intent,
                        };
                    }

                    return challenge(intent.next_action.use_stripe_sdk.stripe_js)
                        .then(function () { return getIntent(key, clientSecret); })
                        .then(function (after) {
                            if (after.status === "succeeded" || after.status === "processing" || after.status === "requires_capture") {
                                return { paymentIntent: after };
                            }

                            return {
                                error: after.last_payment_error || { type: "card_error", message: "Your bank did not confirm the payment." },
                                paymentIntent: after,
                            };
                        });
                });
            },
        };
    }

    window.Stripe = Stripe;
})();
