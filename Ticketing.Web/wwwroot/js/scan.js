// Reads QR codes from the device camera and hands each code to the page. The browser's own
// BarcodeDetector reads them where there is one (Chrome on Android and macOS); elsewhere (Safari on
// iPhones, Firefox, Chrome on Linux and Windows) each frame goes to the server, shrunk and in grey,
// and the server reads it (POST /scan/frame).

const MaxSide = 640;

export function isSupported() {
    return !!navigator.mediaDevices?.getUserMedia;
}

export async function start(video, page, frameUrl) {
    stop();
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    video.srcObject = stream;
    await video.play();
    const read = typeof window.BarcodeDetector === "function" ? readInBrowser() : readOnServer(frameUrl);
    const current = { stream, timer: 0, last: "", lastAt: 0, busy: false };
    session = current;

    const tick = async () => {
        if (session !== current) {
            return;
        }

        if (!current.busy && video.readyState >= 2 && video.videoWidth > 0) {
            current.busy = true;
            try {
                const value = await read(video);
                const now = Date.now();

                // The same code held in front of the camera is sent once, not on every frame.
                if (value && session === current && (value !== current.last || now - current.lastAt > 4000)) {
                    current.last = value;
                    current.lastAt = now;
                    await page.invokeMethodAsync("OnScanned", value);
                }
            } catch {
                // A frame that could not be read; the next one may do.
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

let session = null;

function readInBrowser() {
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return async video => {
        const codes = await detector.detect(video);
        return codes.length > 0 ? codes[0].rawValue : "";
    };
}

function readOnServer(frameUrl) {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async video => {
        const scale = Math.min(1, MaxSide / Math.max(video.videoWidth, video.videoHeight));
        const width = Math.round(video.videoWidth * scale);
        const height = Math.round(video.videoHeight * scale);
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        const rgba = context.getImageData(0, 0, width, height).data;
        const grey = new Uint8Array(width * height);
        for (let i = 0, j = 0; j < grey.length; i += 4, j++) {
            grey[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
        }

        const response = await fetch(`${frameUrl}?width=${width}&height=${height}`, {
            method: "POST",
            body: grey,
            headers: { "Content-Type": "application/octet-stream" },
            credentials: "same-origin",
        });
        return response.ok ? (await response.json()).code ?? "" : "";
    };
}
