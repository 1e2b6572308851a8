// Issue #11: the relay serves the terminal app at `/` (static build + single-page fallback), never in the way of
// its API or CouchDB gateway, and says how to build the app when it is not built.
import { mkdir, writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import express from 'express';
import { listen } from '../server-kit/http';
import { tempDir } from '../tests/support/testing';
import { mountTerminalApp } from './terminalApp';

async function serve(dir: string) {
  const app = express();
  mountTerminalApp(app, dir);
  app.use('/api', (_req, res) => void res.status(404).json({ error: 'not_found' }));
  return listen(app, 0);
}

describe('relay serves the terminal app (issue #11)', () => {
  it('answers the app, its assets and its routes; leaves /api alone; explains a missing build', async () => {
    const tmp = await tempDir('caja-terminal-app-');
    const empty = await serve(`${tmp.dir}/none/`);
    try {
      const res = await fetch(`${empty.url}/`, { headers: { accept: 'text/html' } });
      expect(res.status).to.equal(503);
      expect(await res.text()).to.contain('npx vite build --config desktop/renderer/vite.config.ts');
    } finally {
      await empty.close();
    }
    const dist = `${tmp.dir}/dist/`;
    await mkdir(`${dist}assets`, { recursive: true });
    await writeFile(`${dist}index.html`, '<!doctype html><title>Caja</title>');
    await writeFile(`${dist}assets/index-abc.js`, 'console.log(1)');
    await writeFile(`${dist}sw.js`, 'self.addEventListener("fetch", () => {})');
    const built = await serve(dist);
    try {
      const page = await fetch(`${built.url}/`, { headers: { accept: 'text/html' } });
      expect(page.status).to.equal(200);
      expect(page.headers.get('cache-control')).to.equal('no-cache');
      expect(await page.text()).to.contain('<title>Caja</title>');
      const route = await fetch(`${built.url}/journal`, { headers: { accept: 'text/html' } });
      expect(await route.text()).to.contain('<title>Caja</title>');
      const asset = await fetch(`${built.url}/assets/index-abc.js`);
      expect(asset.headers.get('cache-control')).to.contain('immutable');
      expect((await fetch(`${built.url}/sw.js`)).headers.get('cache-control')).to.equal('no-cache');
      expect((await fetch(`${built.url}/assets/missing.js`)).status).to.equal(404);
      const api = await fetch(`${built.url}/api/v1/nothing`, { headers: { accept: 'text/html' } });
      expect(api.status).to.equal(404);
      expect(await api.json()).to.deep.equal({ error: 'not_found' });
    } finally {
      await built.close();
      await tmp.cleanup();
    }
  });
});
