// Reads QR codes from the device camera with the browser's own BarcodeDetector, and hands each
// code to the page. Where the browser has no detector the page offers typed codes only.

let session = null;

export function isSupported() {
    return typeof window.BarcodeDetector === "function" && !!navigator.mediaDevices?.getUserMedia;
}

export async function start(video, page) {
    stop();
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    video.srcObject = stream;
    await video.play();
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    const current = { stream, timer: 0, last: "", lastAt: 0, busy: false };
    session = current;

    const tick = async () => {
        if (session !== current) {
            return;
        }

        if (!current.busy && video.readyState >= 2) {
            current.busy = true;
            try {
                const codes = await detector.detect(video);
                const value = codes.length > 0 ? codes[0].rawValue : "";
                const now = Date.now();

                // The same code held in front of the camera is sent once, not on every frame.
                if (value && (value !== current.last || now - current.lastAt > 4000)) {
                    current.last = value;
                    current.lastAt = now;
                    await page.invokeMethodAsync("OnScanned", value);
                }
            } catch {
                // A frame the detector could not read; the next one may do.
            } finally {
                current.busy = false;
            }
        }

        current.timer = window.setTimeout(tick, 200);
    };
    tick();
}

export function stop() {
    if (!session) {
        return;
    }

    window.clearTimeout(session.timer);
    session.stream.getTracks().forEach(track => track.stop());
    session = null;
}
