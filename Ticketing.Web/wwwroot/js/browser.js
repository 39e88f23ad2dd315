// Small browser facts the server-side circuit cannot know by itself.

export function timeZone() {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
    } catch {
        return null;
    }
}

export function getCookie(name) {
    const found = document.cookie.split("; ").find(c => c.startsWith(`${name}=`));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

export function setCookie(name, value, days) {
    const secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=${days * 86400}; samesite=lax${secure}`;
}

// A statically rendered page with a live part says so on the app shell once that part runs, as an
// interactive layout does itself (data-interactive: buttons work from then on).
export function markInteractive() {
    document.querySelector(".app-shell")?.setAttribute("data-interactive", "true");
}

// Keyboard focus that went with a removed element (a button the page no longer shows) moves to
// the given element; focus the user put anywhere else stays where it is.
export function focusIfLost(element) {
    const active = document.activeElement;
    if (element && (!active || active === document.body || !active.isConnected)) {
        element.focus();
    }
}

// The menus of a statically rendered page (the account menu, the phone's navigation) are <details>
// disclosures: they open and close without a circuit. Like every other menu, an open one closes on a
// click elsewhere, and on Escape, which hands focus back to its toggle if it was inside. The page
// loads this module itself (a module runs once however often it is imported), and the listeners sit
// on the document, so menus that enhanced navigation renders anew are covered too.
function openStaticMenus() {
    return document.querySelectorAll("details.static-menu[open]");
}

document.addEventListener("click", event => {
    for (const menu of openStaticMenus()) {
        if (!menu.contains(event.target)) {
            menu.open = false;
        }
    }
}, true);

document.addEventListener("keydown", event => {
    if (event.key !== "Escape" || event.defaultPrevented) {
        return;
    }

    for (const menu of openStaticMenus()) {
        const hadFocus = menu.contains(document.activeElement);
        menu.open = false;
        if (hadFocus) {
            menu.querySelector(":scope > summary")?.focus();
        }

        event.preventDefault();
    }
});
