/**
 * The Train tab in a real browser, against a studio whose image and training engine is the suite's fake
 * ComfyUI: a character with three approved images → start a training from the form (advanced settings) →
 * the step counter, the loss chart and the epochs fill in live → every epoch gets its samples and a score →
 * promote the best epoch → the next generated image's provenance names that LoRA version.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test'
import { logIn, studio } from './fixtures'
import { studioPython } from './studio-server'

const info = studio('train')
test.use({ baseURL: `${info.url}/` })

type Json = Record<string, unknown>

async function call(context: BrowserContext, request: APIRequestContext, method: 'GET' | 'POST', path: string, options: Json = {}): Promise<Json> {
  const csrf = (await context.cookies()).find((c) => c.name === 'anime_studio_csrf')?.value ?? ''
  const response = await request.fetch(`${info.url}/api/lora${path}`, { method, headers: { 'X-CSRF-Token': csrf }, ...options })
  expect(response.ok(), await response.text()).toBe(true)
  return (await response.json()) as Json
}

async function finished(context: BrowserContext, request: APIRequestContext, runId: number): Promise<Json> {
  let run: Json = {}
  await expect.poll(async () => (run = await call(context, request, 'GET', `/jobs/${runId}`)).status, { timeout: 60_000 }).toMatch(/succeeded|failed|cancelled/)
  expect(run.status, String(run.error)).toBe('succeeded')
  return run
}

test('train a LoRA, watch it live, promote the best epoch, generate with it', async ({ page, context }) => {
  const request = context.request
  test.setTimeout(120_000)
  const dir = test.info().outputPath('media')
  mkdirSync(dir, { recursive: true })
  const made = spawnSync(studioPython(), [join(import.meta.dirname, 'dataset_media.py'), dir], { encoding: 'utf8' })
  expect(made.status, made.stderr).toBe(0)
  const images = (JSON.parse(made.stdout) as { images: string[] }).images

  await page.goto('./login')
  await logIn(page, info)
  const project = await call(context, request, 'POST', '/projects', { data: { name: 'Train Show' } })
  const character = await call(context, request, 'POST', `/projects/${project.id}/characters`, {
    data: { name: 'Pip', design_prompt: 'lantern spirit, orange glow' },
  })
  const added: number[] = []
  for (const name of images) {
    const file = { name, mimeType: 'image/png', buffer: readFileSync(join(dir, name)) }
    const run = await call(context, request, 'POST', `/datasets/${character.id}/ingest/images`, { multipart: { files: file } })
    added.push(...((await finished(context, request, Number(run.id))).result as { added: number[] }).added)
  }
  await call(context, request, 'POST', '/approval/approve', { data: { asset_ids: added, approved: true } })

  await page.goto(`./projects/${project.id}/train/${character.id}`)
  await page.getByTestId('train-checkpoint').fill('anything-v5.safetensors')
  await page.getByTestId('train-trigger').fill('pip_xyz')
  await page.getByText('Show advanced settings').click()
  await page.getByTestId('train-epochs').fill('3')
  await page.getByTestId('train-resolution').fill('256')
  await page.getByTestId('train-rank').fill('4')
  await page.getByTestId('train-start').click()

  await expect(page.getByTestId('train-status')).toHaveText('running', { timeout: 20_000 })
  await expect.poll(async () => Number(await page.getByTestId('train-step').textContent()), { timeout: 20_000 }).toBeGreaterThan(0)
  await expect(page.getByTestId('epoch-row').first()).toBeVisible({ timeout: 30_000 }) // epoch 1 while 2 and 3 train
  expect(await page.getByTestId('train-status').textContent()).toBe('running')
  await expect(page.getByTestId('chart-smoothed').first()).toBeVisible()

  await expect(page.getByTestId('train-status')).toHaveText('succeeded', { timeout: 60_000 })
  await expect(page.getByTestId('epoch-row')).toHaveCount(3)
  await expect(page.getByTestId('epoch-sample')).toHaveCount(9, { timeout: 30_000 })
  await expect(page.getByTestId('best-epoch')).toHaveCount(1)
  await expect(page.getByTestId('chart-mark')).toBeVisible()

  await page.getByTestId('promote-best').click()
  await expect(page.getByTestId('lora-version')).toHaveText(/pip-v1 · epoch \d .*active/)

  const run = await call(context, request, 'POST', `/generate/${character.id}`, { data: { count: 1, seed: 9 } })
  const result = (await finished(context, request, Number(run.id))).result as { asset_ids: number[] }
  const asset = await call(context, request, 'GET', `/assets/${result.asset_ids[0]}`)
  const loras = (asset.provenance as { loras: { name: string }[] }).loras
  expect(loras.map((l) => l.name)).toEqual(['pip-v1'])
})
