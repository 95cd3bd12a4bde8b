/**
 * The Approve tab as a new user works it, in a real browser against a real studio on the embedded
 * engines: upload a short video and three images for a (non-human) character → frames and images
 * appear as pending with scores → review with the keyboard only (approve, reject with a reason,
 * undo) → edit a caption → download the dataset zip, whose kohya layout and captions are read back.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test'
import { logIn, shot, studio } from './fixtures'
import { studioPython } from './studio-server'

const info = studio('datasets')
test.use({ baseURL: `${info.url}/` })

const PIP = {
  species: 'lantern spirit (NOT human)',
  key_colors: { body: '#f39c12', glow: '#ffd166', frame: '#5d4037' },
}

function media(): { dir: string; video: string; images: string[] } {
  // Under the test's own output folder, which Playwright empties at the start of every run.
  const dir = test.info().outputPath('media')
  mkdirSync(dir, { recursive: true })
  const result = spawnSync(studioPython(), [join(import.meta.dirname, 'dataset_media.py'), dir], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`making test media failed: ${result.stderr}`)
  const names = JSON.parse(result.stdout) as { video: string; images: string[] }
  return { dir, video: join(dir, names.video), images: names.images.map((n) => join(dir, n)) }
}

/** The API with the browser's session (and its CSRF token), for setting up the character. */
async function post(context: BrowserContext, request: APIRequestContext, path: string, body: unknown): Promise<{ id: number }> {
  const csrf = (await context.cookies()).find((c) => c.name === 'anime_studio_csrf')?.value ?? ''
  const response = await request.post(`${info.url}/api/lora${path}`, { data: body, headers: { 'X-CSRF-Token': csrf } })
  expect(response.ok(), await response.text()).toBe(true)
  return (await response.json()) as { id: number }
}

/** The zip's member names and text files, read back with Python's zipfile. */
function readZip(path: string): { names: string[]; texts: Record<string, string> } {
  const script =
    'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps({"names": z.namelist(), "texts": {n: z.read(n).decode() for n in z.namelist() if not n.endswith(".png")}}))'
  const result = spawnSync(studioPython(), ['-c', script, path], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(result.stderr)
  return JSON.parse(result.stdout) as { names: string[]; texts: Record<string, string> }
}

test('a new user builds a reviewed, captioned dataset and exports it', async ({ page, context }) => {
  test.setTimeout(120_000)
  const files = media()

  await page.goto('./')
  await logIn(page, info)
  const project = await post(context, page.request, '/projects', { name: 'Lantern Dataset' })
  const pip = await post(context, page.request, `/projects/${project.id}/characters`, {
    name: 'Pip',
    design_prompt: 'small round paper lantern spirit, dot eyes, warm glow',
    appearance_data: PIP,
  })

  await test.step('upload a video and three images; they land as pending with scores', async () => {
    await page.goto(`./projects/${project.id}/approve/${pip.id}`)
    await expect(page.getByRole('heading', { level: 1, name: 'Pip · dataset' })).toBeVisible()
    await page.getByTestId('ingest-video').setInputFiles(files.video)
    await expect(page.getByTestId('run-status').last()).toHaveAttribute('data-run-status', 'succeeded', { timeout: 60_000 })
    await page.getByTestId('ingest-images').setInputFiles(files.images)
    await expect(page.getByTestId('dataset-image')).toHaveCount(5, { timeout: 60_000 })
    await expect(page.locator('[data-testid="dataset-image"][data-status="pending"]')).toHaveCount(5)
    await expect(page.getByTestId('count-pending')).toHaveText('5')
    await expect(page.getByTestId('review-detail')).toContainText('quality 0.9')
    await expect(page.getByTestId('review-detail')).toContainText('character match')
    await shot(page, '40-approve-pending')
  })

  await test.step('review with the keyboard: approve, reject with a reason, undo', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('a') // approve the first, focus moves on
    await expect(page.getByTestId('count-approved')).toHaveText('1')
    await page.keyboard.press('r')
    await expect(page.getByTestId('reject-reasons')).toContainText('human face on a non-human')
    await page.keyboard.press('2') // "human face on a non-human"
    await expect(page.getByTestId('count-rejected')).toHaveText('1')
    await page.keyboard.press('ArrowLeft')
    await expect(page.getByTestId('review-detail')).toContainText('rejected by e2e-admin: human face on a non-human')
    await page.keyboard.press('u') // undo the rejection
    await expect(page.getByTestId('count-rejected')).toHaveText('0')
    await expect(page.getByTestId('detail-status')).toHaveText('pending')
    await page.keyboard.press('a')
    await page.keyboard.press('a')
    await expect(page.getByTestId('count-approved')).toHaveText('3')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('z')
    await expect(page.getByTestId('zoom')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('zoom')).toBeHidden()
  })

  await test.step('edit the focused image caption', async () => {
    await page.getByTestId('caption').fill('pip, lantern spirit, floating over the harbour')
    await page.getByTestId('save-caption').click()
    await expect(page.getByText('Caption saved')).toBeVisible()
  })

  await test.step('download the dataset zip and read it back', async () => {
    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-zip').click()
    const download = await downloading
    const path = join(files.dir, 'export.zip')
    await download.saveAs(path)
    const zip = readZip(path)
    const pngs = zip.names.filter((n) => n.endsWith('.png'))
    expect(pngs).toHaveLength(3)
    expect(pngs.every((n) => n.startsWith('10_pip/'))).toBe(true)
    for (const png of pngs) expect(zip.names).toContain(png.replace(/\.png$/, '.txt'))
    const captions = Object.entries(zip.texts).filter(([n]) => n.endsWith('.txt')).map(([, text]) => text)
    expect(captions).toContain('pip, lantern spirit, floating over the harbour')
    expect(captions.every((c) => c.startsWith('pip'))).toBe(true)
    const manifest = JSON.parse(zip.texts['manifest.json'] ?? '{}') as { count: number; folder: string }
    expect(manifest).toMatchObject({ count: 3, folder: '10_pip' })
  })
})
