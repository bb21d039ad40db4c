/**
 * What the browser tests share: Debian's Chromium launched through playwright-core, a fresh page per test that
 * records every request leaving the service's origin (the console may make none), waiting for a text, signing in.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '@auditdrain/test-services';
import { until } from '../../support/until';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/** A new page; `foreign` collects the URLs it requested outside `origin` (the test expects none). */
export async function newConsolePage(browser: Browser, origin: string, foreign: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  return page;
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
