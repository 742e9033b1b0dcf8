import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineServer } from './server.js';
import { logger } from '../log.js';

const log = logger('http');

/**
 * The built pages live in dist/page (tools/build-pages.js bundles src/output/page with esbuild). This
 * module compiles to dist/src/output/pages.js, so they sit two folders up.
 */
export function defaultPagesDir(): string {
  return fileURLToPath(new URL('../../page/', import.meta.url));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
};

export function registerPages(server: EngineServer, pagesDir = defaultPagesDir()): void {
  const serve = (file: string) => async (_req: unknown, res: import('node:http').ServerResponse) => {
    const path = join(pagesDir, file);
    if (!existsSync(path)) {
      // The absolute path is for the performer's log, not for whoever asked over the network.
      log.limited('error', 'page-missing', `${path} is missing; run \`npm run build\` (it bundles the pages with tools/build-pages.js)`);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`latentvj: the page ${file} is not built; run \`npm run build\` (it bundles the pages with tools/build-pages.js)\n`);
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    const body = await readFile(path);
    // Pages change with every build; a stale cached bundle would speak an old protocol.
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(body);
  };
  server.route('GET /favicon.ico', (_req, res) => {
    res.writeHead(204);
    res.end();
  });
  // A landing page for whoever opens the bare address the engine printed.
  server.route('GET /', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(INDEX_HTML);
  });
  server.route('GET /output', serve('output.html'));
  server.route('GET /monitor', serve('monitor.html'));
  server.route('GET /latents', serve('latents.html'));
  server.routePrefix('/page/', async (req, res, url) => {
    const rel = normalize(decodeURIComponent(url.pathname.slice('/page/'.length)));
    if (rel.startsWith('..') || rel.includes(`..${sep}`) || !/^[\w./-]+$/.test(rel)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`bad page path ${url.pathname}`);
      return;
    }
    await serve(rel)(req, res);
  });
}

const INDEX_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>latentvj</title>
<style>body{background:#0d1014;color:#c9d1d9;font:16px/1.5 system-ui,sans-serif;margin:3em}a{color:#58a6ff}</style></head>
<body><h1>latentvj</h1><ul>
<li><a href="/output">/output</a>: the picture; open it on the projector, fullscreen (F11). <code>?fit=fill</code> or <code>?fit=stretch</code> to change the aspect.</li>
<li><a href="/monitor">/monitor</a>: meters, mapping routes, timing, preview, blackout and freeze.</li>
<li><a href="/latents">/latents</a>: browse seeds, blend, nudge and walk directions, keep latents in a bank file for a mapping.</li>
</ul></body></html>
`;
