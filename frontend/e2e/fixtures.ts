/** Shared helpers for the browser tests: the studio under test, logging in, screenshots. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, type Page } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { REPO_ROOT, STUDIO_ENV, studioPython } from './studio-server'

export interface StudioInfo {
  url: string
  username: string
  password: string
  dataDir: string
}

/** Publish events into the studio as a worker process would (NOTIFY on the event bridge). */
export function publishEvents(info: StudioInfo, events: [string, Record<string, unknown>][]): void {
  const script = join(import.meta.dirname, 'publish_events.py')
  const result = spawnSync(studioPython(), [script, info.dataDir, JSON.stringify(events)], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`publishing events failed: ${result.stderr}`)
}


export function studio(which: keyof typeof STUDIO_ENV = 'root'): StudioInfo {
  const raw = process.env[STUDIO_ENV[which]]
  if (!raw) throw new Error('the e2e global setup did not start the studio')
  return JSON.parse(raw) as StudioInfo
}

export const SCREENSHOT_DIR = join(REPO_ROOT, 'artifacts', 'screenshots')

/** A 1280×800 screenshot of the page as a person sees it (toasts hidden, transitions finished). */
export async function shot(page: Page, name: string, options: { top?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.waitForLoadState('networkidle').catch(() => undefined)
  if (options.top) {
    await page.evaluate(() => {
      for (const element of document.querySelectorAll<HTMLElement>('main, main *')) {
        if (element.scrollTop > 0) element.scrollTo(0, 0)
      }
    })
  }
  await page.screenshot({
    path: join(SCREENSHOT_DIR, `${name}.png`),
    animations: 'disabled',
    style: '[data-toast] { display: none !important; }',
  })
}

export async function logIn(page: Page, info: StudioInfo): Promise<void> {
  await page.getByLabel('Username').fill(info.username)
  await page.getByLabel('Password').fill(info.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('user-menu')).toBeVisible()
}

export const SAVE = process.platform === 'darwin' ? 'Meta+s' : 'Control+s'
