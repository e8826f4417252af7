// The service worker: keeps every file of one build of the studio so it opens and plays with no network
// after the first visit, and never serves a page files of two builds.
//
// - The build (tools/make-precache.mjs) replaces the PRECACHE line below with the build's file list and
//   the sha-256 of each file; the version is a hash of that list, so a new build is a new sw.js, which the
//   browser installs on its next update check (every navigation to the studio).
// - Install fetches every file of the list from the network, checks each one's sha-256 against the list
//   (a file of another build, e.g. a server updated mid-install, fails the install, and the old version
//   stays), and only when all are good puts them in the cache "mixdown-build-<version>" and marks it
//   complete. A cache is never written to again after that.
// - Each page is pinned to the version it was opened with (its navigation served from that version's
//   cache; the pins are kept in the cache "mixdown-pins" so they survive the worker being stopped): a page
//   opened under an old version keeps getting the old files (a worklet module, a demo, the lazily
//   imported engine) after a new version takes over, and its next load gets the new version whole.
// - Activation, each navigation and the page's "cleanup" message delete the caches of versions no open
//   page is pinned to.
// - A page the worker did not serve (the first visit, before the worker existed) gets the network, and
//   this version's copy when the network fails.
const PRECACHE = null; // replaced by the build: {version, files: [{url, sha256, size}]}
const PREFIX = 'mixdown-build-';
const PINS = 'mixdown-pins';
const COMPLETE = '__complete__';
const own = PRECACHE ? PREFIX + PRECACHE.version : null;
const scope = self.registration.scope;
const listed = new Set(PRECACHE ? PRECACHE.files.map((f) => new URL(f.url, scope).href) : []);
const pins = new Map();  // client id -> cache name (mirrors PINS)

const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // This version is the newest from now on: recorded before its cache exists, so an older worker's
    // cleanup never takes that cache for an old one.
    if (own) await markNewest(own);
    if (own && !(await (await caches.open(own)).match(scope + COMPLETE))) {
      const fetched = await Promise.all(PRECACHE.files.map(async (f) => {
        const url = new URL(f.url, scope).href;
        const res = await fetch(url, { cache: 'reload' });
        if (!res.ok) throw new Error(`${f.url}: HTTP ${res.status}`);
        const body = await res.arrayBuffer();
        const sha = hex(await crypto.subtle.digest('SHA-256', body));
        if (sha !== f.sha256) throw new Error(`${f.url} is not the file of build ${PRECACHE.version} (another build on the server)`);
        return [url, new Response(body, { headers: { 'Content-Type': res.headers.get('Content-Type') || 'application/octet-stream' } })];
      })).catch(async (e) => { await caches.delete(own); throw e; });
      const cache = await caches.open(own);
      await Promise.all(fetched.map(([url, res]) => cache.put(url, res)));
      await cache.put(scope + COMPLETE, new Response(PRECACHE.version));
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => { await self.clients.claim(); await cleanup(); })());
});

// The order in which versions were installed: "mixdown-versions" holds, for each version's cache, the
// number of its install (1, 2, ...). A worker deletes only caches of versions installed before its own,
// so an older worker still running (its view of the registration may lag the browser's by a moment, as
// a newer one installs and takes over) can never delete the newer version's cache.
const VERSIONS = 'mixdown-versions';
const orderKey = (name) => scope + '__version__/' + name;

async function installOrder() {
  const c = await caches.open(VERSIONS);
  const order = new Map();
  for (const req of await c.keys()) order.set(req.url.slice(req.url.lastIndexOf('/') + 1), Number(await (await c.match(req)).text()));
  return order;
}

async function markNewest(name) {
  const order = await installOrder();
  const newest = Math.max(0, ...order.values());
  if (order.get(name) !== newest || newest === 0) await (await caches.open(VERSIONS)).put(orderKey(name), new Response(String(newest + 1)));
}

async function pinOf(clientId) {
  if (!clientId) return null;
  if (pins.has(clientId)) return pins.get(clientId);
  const hit = await (await caches.open(PINS)).match(scope + '__pin__/' + clientId);
  const name = hit ? (await hit.text()).split('\n')[0] : null;
  if (name) pins.set(clientId, name);
  return name;
}

async function pin(clientId, name) {
  if (!clientId) return;
  pins.set(clientId, name);
  await (await caches.open(PINS)).put(scope + '__pin__/' + clientId, new Response(`${name}\n${Date.now()}\n0`));
}

// Deletes the caches of versions that no open page is pinned to, and the pins of closed pages. A page
// being navigated to is not a client until its document exists, so a pin is dropped only once its page
// has been seen open and is gone, or when it is older than PIN_GRACE_MS without ever being seen.
// Only the registration's active worker deletes, only while no newer version is installing or waiting,
// and only versions installed before its own (installOrder): an older worker still running (or one
// being replaced) must not delete the cache a newer one is filling or has just filled.
const PIN_GRACE_MS = 60000;
async function cleanup() {
  const reg = self.registration;
  if (reg.installing || reg.waiting || !reg.active || (self.serviceWorker && reg.active !== self.serviceWorker)) return;
  const open = new Set((await self.clients.matchAll({ includeUncontrolled: true, type: 'all' })).map((c) => c.id));
  const pinCache = await caches.open(PINS);
  const used = new Set(own ? [own] : []);
  for (const req of await pinCache.keys()) {
    const id = req.url.slice(req.url.lastIndexOf('/') + 1);
    const [name, at, seen] = (await (await pinCache.match(req)).text()).split('\n');
    if (open.has(id)) {
      used.add(name);
      if (seen !== '1') await pinCache.put(req, new Response(`${name}\n${at}\n1`));
    } else if (seen !== '1' && Date.now() - Number(at) < PIN_GRACE_MS) {
      used.add(name);
    } else {
      pins.delete(id);
      await pinCache.delete(req);
    }
  }
  const order = await installOrder();
  const mine = order.get(own) ?? 0;
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || used.has(name)) continue;
    // A version without a number is older than this scheme; one numbered after this worker's is newer.
    if (order.has(name) && !(order.get(name) < mine)) continue;
    await caches.delete(name);
    await (await caches.open(VERSIONS)).delete(orderKey(name));
  }
}

// The studio's own page: the scope itself or index.html, any query (the hash never reaches a worker).
function isStudioPage(url) {
  const u = new URL(url);
  const path = u.origin + u.pathname;
  return path === scope || path === scope + 'index.html';
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (!own || req.method !== 'GET') return;
  const url = new URL(req.url);
  url.search = '';
  url.hash = '';
  if (req.mode === 'navigate') {
    if (!isStudioPage(req.url)) return;
    event.respondWith((async () => {
      const hit = await (await caches.open(own)).match(scope + 'index.html');
      if (!hit) return fetch(req);  // this version's install has not completed here
      await pin(event.resultingClientId, own);
      return hit;
    })());
    event.waitUntil(cleanup());
    return;
  }
  if (!listed.has(url.href)) return;
  event.respondWith((async () => {
    const name = await pinOf(event.clientId);
    if (name) {
      const hit = await (await caches.open(name)).match(url.href);
      if (hit) return hit;
    }
    // A page this worker did not serve: the network, or this version's copy without one.
    try { return await fetch(req); } catch (e) {
      const hit = await (await caches.open(own)).match(url.href);
      if (hit) return hit;
      throw e;
    }
  })());
});

// {type: 'version'} -> {worker: this worker's version, page: the version the asking page is pinned to
// (null: a page this worker did not serve)}; {type: 'cleanup'}: delete unused versions now.
self.addEventListener('message', (event) => {
  const reply = (m) => event.ports[0] && event.ports[0].postMessage(m);
  if (event.data && event.data.type === 'version') {
    event.waitUntil(pinOf(event.source && event.source.id).then((name) => reply({
      worker: PRECACHE && PRECACHE.version, page: name ? name.slice(PREFIX.length) : null })));
  } else if (event.data && event.data.type === 'cleanup') {
    event.waitUntil(cleanup().then(() => reply({ done: true })));
  }
});
