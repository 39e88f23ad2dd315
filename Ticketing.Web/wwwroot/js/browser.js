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
