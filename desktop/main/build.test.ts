import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../tests/support/testing';
import { buildDesktop, MAIN_EXTERNALS } from './build';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function specifiers(code: string): { static: string[]; dynamic: string[]; required: string[] } {
  const all = (re: RegExp): string[] => [...code.matchAll(re)].map((m) => m[1] ?? '');
  return {
    static: all(/^\s*import\s[^'"]*?from\s*["']([^"']+)["']/gm),
    dynamic: all(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    required: all(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
  };
}

describe('desktop/main: the shell bundles and the electron-builder configuration (issue 11)', function () {
  this.timeout(60_000);
  let dir: { dir: string; cleanup: () => Promise<void> };
  let out: { main: string; preload: string };
  before(async () => {
    dir = await tempDir('caja-shell-build-');
    out = await buildDesktop(dir.dir);
  });
  after(() => dir.cleanup());

  it('the sandboxed preload is one CommonJS file that requires nothing but electron', async () => {
    const code = await readFile(out.preload, 'utf8');
    const s = specifiers(code);
    expect(s.required).to.deep.equal(['electron']);
    expect(s.static).to.deep.equal([]);
    expect(s.dynamic).to.deep.equal([]);
    expect(code).to.contain('exposeInMainWorld');
  });

  it('the main bundle loads only Electron, Node built-ins and the native printer packages, those two only on demand', async () => {
    const s = specifiers(await readFile(out.main, 'utf8'));
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    expect(s.static.filter((m) => !builtins.has(m))).to.deep.equal(['electron']);
    expect([...s.dynamic].sort()).to.deep.equal(['node-escpos-win', 'usb']);
    expect(s.required.filter((m) => !builtins.has(m))).to.deep.equal([]);
    expect(MAIN_EXTERNALS).to.include('node-escpos-win');
  });

  it('electron-builder accepts desktop/electron-builder.yml (its own schema) with NSIS, AppImage, deb and dmg targets', async () => {
    // electron-builder's validator lives in app-builder-lib (installed with electron-builder); no Electron binary is
    // involved in loading and validating a configuration.
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    const config = await getConfig(ROOT, path.join(ROOT, 'desktop/electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    const targets = (t: unknown): string[] => (Array.isArray(t) ? t : [t]).map((x: unknown) => (typeof x === 'string' ? x : typeof x === 'object' && x && 'target' in x ? String(x.target) : ''));
    expect(targets(config.win?.target)).to.deep.equal(['nsis']);
    expect(targets(config.linux?.target)).to.deep.equal(['AppImage', 'deb']);
    expect(targets(config.mac?.target)).to.deep.equal(['dmg']);
    expect(config.extraMetadata).to.deep.equal({ main: 'dist-electron/main.mjs' });
    // getConfig normalises `files` to file sets ({ filter: [...] }).
    const files = [config.files ?? []].flat().flatMap((f) => (typeof f === 'string' ? [f] : f && typeof f === 'object' && 'filter' in f ? [f.filter ?? []].flat() : []));
    expect(files).to.include('dist-electron/**').and.include('desktop/renderer/dist/**');
    expect(config.electronFuses?.runAsNode).to.equal(false);
  });
});
