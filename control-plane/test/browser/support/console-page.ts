/**
 * What the browser tests share: Debian's Chromium launched through playwright-core, a fresh page per test that
 * records every request leaving the service's origin (the console may make none), waiting for a text, signing in.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '@auditdrain/test-services';
import { until } from '../../support/until';

/**
 * Registers the hooks every browser test file shares: Chromium for the file, and for each test a fresh page (handed
 * to `onPage`) that may request nothing outside `origin()`, the service's address.
 */
export function useConsolePage(origin: () => string, onPage: (page: Page) => void): void {
  let browser: Browser | undefined;
  let page: Page | undefined;
  const foreign: string[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    page = await browser!.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(origin()) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    onPage(page);
  });
  afterEach(async () => {
    await page?.close();
    expect(foreign).toEqual([]);
  });
}

/** Waits until the element's text is `text` (the page updates after its requests answer). */
export function hasText(locator: Locator, text: string): Promise<unknown> {
  return until(`"${text}" in ${locator.toString()}`, async () => (await locator.textContent({ timeout: 5_000 }).catch(() => null))?.trim() === text, 10_000, 50);
}

/** Waits until the element's text matches `pattern`. */
export function textMatches(locator: Locator, pattern: RegExp, timeoutMs = 10_000): Promise<unknown> {
  return until(`${String(pattern)} in ${locator.toString()}`, async () => pattern.test((await locator.textContent({ timeout: 5_000 }).catch(() => null)) ?? ''), timeoutMs, 50);
}

export async function signIn(page: Page, origin: string, secret: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel('API key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
