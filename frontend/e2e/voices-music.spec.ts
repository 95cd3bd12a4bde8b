/**
 * Voices and the music library in a real browser against a real studio on the embedded engines: upload a
 * recording for a character → transcribe it (PocketSphinx) → make it a shot's line; add a track to the music
 * library on the Scenes page and use it in the scene.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test'
import { logIn, shot, studio } from './fixtures'
import { studioPython } from './studio-server'

const info = studio('datasets')
test.use({ baseURL: `${info.url}/` })

function media(): { speech: string; music: string } {
  const dir = test.info().outputPath('media')
  mkdirSync(dir, { recursive: true })
  const result = spawnSync(studioPython(), [join(import.meta.dirname, 'voice_media.py'), dir], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`making test media failed: ${result.stderr}`)
  const names = JSON.parse(result.stdout) as { speech: string; music: string }
  return { speech: join(dir, names.speech), music: join(dir, names.music) }
}

async function post(context: BrowserContext, request: APIRequestContext, path: string, body: unknown): Promise<{ id: number }> {
  const csrf = (await context.cookies()).find((c) => c.name === 'anime_studio_csrf')?.value ?? ''
  const response = await request.post(`${info.url}/api/lora${path}`, { data: body, headers: { 'X-CSRF-Token': csrf } })
  expect(response.ok(), await response.text()).toBe(true)
  return (await response.json()) as { id: number }
}

test('a recording becomes a transcribed line, and a library track scores the scene', async ({ page, context }) => {
  test.setTimeout(90_000)
  const files = media()
  await page.goto('./')
  await logIn(page, info)
  const project = await post(context, page.request, '/projects', { name: 'Night Train' })
  const mika = await post(context, page.request, `/projects/${project.id}/characters`, { name: 'Mika', design_prompt: '1girl, red scarf' })
  const scene = await post(context, page.request, '/scenes', { project_id: project.id, title: 'Platform' })
  await post(context, page.request, `/scenes/${scene.id}/shots`, { duration: 2 })

  await test.step('upload, transcribe, use as a line', async () => {
    await page.goto(`./projects/${project.id}/characters/${mika.id}`)
    const panel = page.getByTestId('voice-samples')
    await panel.getByLabel('Upload a voice recording').setInputFiles(files.speech)
    await expect(panel.locator('[data-voice-sample]')).toHaveCount(1)
    await panel.getByRole('button', { name: 'Transcribe' }).click()
    await expect(panel.locator('[data-transcript]')).toHaveValue(/leave the city/, { timeout: 20_000 })
    await panel.getByRole('button', { name: 'Use as a line…' }).click()
    await panel.getByLabel('Scene').selectOption({ label: 'Platform' })
    await panel.getByLabel('Shot').selectOption({ index: 1 })
    await panel.getByRole('button', { name: 'Set line' }).click()
    await expect(page.getByText(/now says “.*leave the city.*”/)).toBeVisible()
    await shot(page, '70-voice-samples')
  })

  await test.step('add a track to the library and use it in the scene', async () => {
    await page.goto(`./projects/${project.id}/scenes/${scene.id}`)
    const library = page.getByTestId('music-library')
    await library.getByLabel('Add a track to the library').setInputFiles(files.music)
    await expect(library.locator('[data-track]')).toHaveCount(1)
    await library.getByRole('button', { name: 'Use in this scene' }).click()
    await expect(page.getByText('Track assigned')).toBeVisible()
    await shot(page, '71-music-library')
  })
})
