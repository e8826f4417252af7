// Offline and installable: registers the service worker (sw.js, which keeps every file of one build)
// and reports what it serves. The web app manifest (manifest.webmanifest, linked from index.html) makes
// the studio installable.
let sayOnce = null;

// Registers sw.js for the studio's folder. Once a newer build's worker has installed while this page
// runs the build it opened with, says (through `say`) that the next load opens the new version.
export function registerOffline(say) {
  if (!('serviceWorker' in navigator)) return;
  sayOnce = say;
  const sw = navigator.serviceWorker;
  const hadController = !!sw.controller;
  sw.register('sw.js', { scope: './' }).then((reg) => {
    // Closed pages' pins and versions no page uses go now that this page is a client.
    ask({ type: 'cleanup' }).catch(() => null);
    // Look for a new build now: Chromium's own check after a navigation waits until the worker is idle.
    if (hadController) reg.update().catch(() => null);
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      if (!next) return;
      next.addEventListener('statechange', async () => {
        if (next.state !== 'activated' || !hadController) return;
        const v = await ask({ type: 'version' }).catch(() => null);
        if (v && v.page && v.worker !== v.page && sayOnce) sayOnce('A new version of Mixdown is ready: it opens when you reload the page (this one keeps its own version until then).');
      });
    });
  }, (e) => console.warn(`mixdown: the offline copy is not available (${e.message})`));
}

// A question to the active worker, answered through a message channel.
async function ask(message) {
  const reg = await navigator.serviceWorker.ready;
  const worker = navigator.serviceWorker.controller || reg.active;
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage(message, [channel.port2]);
    setTimeout(() => reject(new Error('the service worker did not answer')), 10000);
  });
}

// {supported, controlled (this page's requests go through the worker), worker: the active worker's build
// version, page: the version this page was opened with (null: opened from the network), caches: the
// cache names this origin holds, after the worker has deleted those of versions no open page uses}.
export async function offlineReport() {
  if (!('serviceWorker' in navigator)) return { supported: false };
  const reg = await navigator.serviceWorker.getRegistration();
  if (reg && reg.active) await ask({ type: 'cleanup' }).catch(() => null);
  const v = reg && reg.active ? await ask({ type: 'version' }).catch(() => ({})) : {};
  return { supported: true, controlled: !!navigator.serviceWorker.controller, worker: v.worker ?? null, page: v.page ?? null,
    caches: await caches.keys() };
}
