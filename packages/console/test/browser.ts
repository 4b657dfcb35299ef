/**
 * Browser-test support: Debian's Chromium driven by playwright-core, a fresh profile per run,
 * the console built when its dist/ is missing, and screenshots saved to test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const CONSOLE_DIR = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

/** A browser test walks through many pages on a shared 2-core machine: give it room. */
export const BROWSER_TEST_MS = 120_000;

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Builds the console once when no build exists (a fresh clone runs `npm install`, which builds it). */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(CONSOLE_DIR, 'dist', 'index.html'))) return;
  execFileSync('npx', ['vite', 'build'], { cwd: CONSOLE_DIR, stdio: 'inherit' });
}

/** One person at the browser: their own context, so cookies (sessions) never leak between users. */
export interface BrowserUser {
  page(viewport?: { width: number; height: number }): Promise<Page>;
}

export interface Browser {
  user(): Promise<BrowserUser>;
  close(): Promise<void>;
}

/**
 * Starts Chromium. Playwright gives every launch a fresh temporary profile (--user-data-dir),
 * and every user() a separate context inside it.
 */
export async function launch(): Promise<Browser> {
  ensureConsoleBuilt();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const contexts: BrowserContext[] = [];
  return {
    async user() {
      const context = await browser.newContext({ viewport: DESKTOP });
      contexts.push(context);
      return {
        async page(viewport = DESKTOP) {
          const page = await context.newPage();
          await page.setViewportSize(viewport);
          return page;
        },
      };
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The page does not scroll sideways: nothing is wider than the viewport. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    // Runs in the page; the test project has no DOM types, so name the two fields used.
    const page = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return page.document.documentElement.scrollWidth - page.innerWidth;
  });
}

export const OWNER = {
  organization: 'Acme Ops',
  name: 'Olive Owner',
  email: 'owner@example.com',
  password: 'correct horse battery',
};

/** Fills in first-run setup in the browser and waits for the feed. */
export async function setupInBrowser(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Organization name').fill(OWNER.organization);
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await page.getByRole('heading', { name: 'Events' }).waitFor();
}

export const sampleEvent = (over: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  type: 'deployment',
  source: 'BE',
  subject: 'PRODUCTION',
  version: 'v2.4.1',
  severity: 'MAJOR',
  time: 'NOW',
  data: { description: 'API release' },
  ...over,
});
