// What the HQ console's browser tests share (hq/console/e2e/*.test.ts): the console built from these sources
// for HQ to serve, headless Chromium launched as every browser test here launches it, whole-page screenshots
// into test-artifacts/console/, and the language switch as a person clicks it.
import { buildApp } from './appBuild';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the console's screenshots go (a test artifact, kept out of git). */
export const CONSOLE_SHOTS = path.join(repo, 'test-artifacts/console');

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Builds the console into hq/console/dist, which HQ serves at `/`. vite's ESM entry is loaded at run time:
 * mocha loads test files through require, and vite's CommonJS entry cannot resolve its own
 * `vite/modulepreload-polyfill` during a build.
 */
export async function buildConsole(): Promise<void> {
  await mkdir(CONSOLE_SHOTS, { recursive: true });
  await buildApp('console');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * The whole page in one picture, as `<name>.png` in CONSOLE_SHOTS: the viewport is stretched to the page's
 * height for the shot (a full-page capture would cut the fixed header, navigation and dialog overlay at the
 * first screen), then put back.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const tall = Math.max(viewport.height, height);
  await page.setViewportSize({ width: viewport.width, height: tall });
  // Let the fixed header and navigation lay out for the new height before the picture: the window has the
  // new size, and two frames have been drawn with it.
  await page.waitForFunction((h) => window.innerHeight === h, tall);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.screenshot({ path: path.join(CONSOLE_SHOTS, `${name}.png`) });
  await page.setViewportSize(viewport);
}

/** Chooses the console's language: the segmented control keeps its radios off screen, so click the label. */
export async function chooseLanguage(page: Page, name: 'English' | 'Español'): Promise<void> {
  const id = await page.getByRole('radio', { name }).first().getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
}
