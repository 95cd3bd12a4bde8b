/**
 * A user's own story, looking right, on the embedded engines: a project, a human and a non-human
 * character from prompts with everyday colour words, "Draft from design prompt", character sheets,
 * scenes from a Fountain screenplay, generated, an episode assembled. Screenshots and three frames of
 * the episode go to artifacts/ (look at them: they are what a new user sees first).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { SAVE, SCREENSHOT_DIR, logIn, shot, studio } from './fixtures'
import { REPO_ROOT, studioPython } from './studio-server'

const info = studio('story')
test.use({ baseURL: `${info.url}/` })

const FRAMES_DIR = join(REPO_ROOT, 'artifacts', 'own-story')

const SCREENPLAY = `EXT. SHRINE STEPS - DUSK

Hana climbs the stone steps with a paper lantern.

HANA
Kitsu? Are you here?

Kitsu steps out of the shadow of the gate, her tails glowing.

KITSU
I have waited all evening for you.

INT. TEA HOUSE - NIGHT

Hana and Kitsu share a pot of tea by the window.

HANA
Tomorrow we go to the festival together.

KITSU
Only if you carry the lantern.
`

function tab(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Studio sections' }).getByRole('link', { name, exact: true })
}

/** Create a character from its design prompt, draft its appearance from it, and save the draft. */
async function character(page: Page, name: string, prompt: string, nonHuman: boolean): Promise<void> {
  await page.getByRole('button', { name: /^New( character)?$/ }).first().click()
  const dialog = page.getByRole('dialog', { name: 'New character' })
  await dialog.getByLabel('Name').fill(name)
  if (nonHuman) await dialog.getByRole('switch', { name: 'Non-human' }).click()
  await dialog.getByLabel('Design prompt').fill(prompt)
  await dialog.getByRole('button', { name: 'Create character' }).click()
  await expect(dialog).toBeHidden()
  // Open it from the list: after a save on the previous character the page does not always follow the
  // new one by itself (seen once here; noted in the report, not fixed in this change).
  await page.locator('[data-character-card]', { hasText: name }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  await page.getByTestId('draft-appearance').click()
  await expect(page.getByText('Appearance drafted').last()).toBeVisible()
  await page.getByTestId('appearance-editor').scrollIntoViewIfNeeded()
  await shot(page, `40-own-story-draft-${name.toLowerCase()}`)
  await page.getByLabel('Species').press(SAVE)
  await expect(page.getByText(`Saved ${name}`).last()).toBeVisible()
}

/** Decodes three frames (at 20, 50 and 80 % of the running time) of the assembled episode file with ffmpeg. */
const FRAME_SCRIPT = `
import sys
from pathlib import Path
from anime_studio.media.ffmpeg import ffmpeg_exe
from anime_studio.media.probe import probe
import subprocess
source, folder = Path(sys.argv[1]), Path(sys.argv[2])
duration = probe(source).duration
for index, at in enumerate((0.2, 0.5, 0.8), start=1):
    target = folder / f"episode-frame-{index}.png"
    subprocess.run([ffmpeg_exe(), "-y", "-loglevel", "error", "-ss", f"{duration * at:.3f}", "-i", str(source),
                    "-frames:v", "1", str(target)], check=True)
    print(target)
`

async function episodeFrames(page: Page): Promise<string[]> {
  mkdirSync(FRAMES_DIR, { recursive: true })
  const episodeId = /episodes\/(\d+)/.exec(page.url())?.[1]
  const response = await page.request.get(`${info.url}/api/lora/episodes/${episodeId}`)
  const episode = (await response.json()) as { output_path: string }
  const file = join(info.dataDir, 'media', episode.output_path)
  const result = spawnSync(studioPython(), ['-c', FRAME_SCRIPT, file, FRAMES_DIR], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`frame extraction failed: ${result.stderr}`)
  return result.stdout.trim().split('\n')
}

test('a user’s own story: characters from colour words, sheets, scenes from a screenplay, an episode', async ({ page }) => {
  test.setTimeout(600_000)

  await test.step('own project, small fast style, a Fountain screenplay', async () => {
    await page.goto('./')
    await logIn(page, info)
    await page.getByRole('button', { name: 'New project' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'New project' })
    await dialog.getByLabel('Name').fill('Fox Lanterns')
    await dialog.getByLabel('Premise').fill('A girl and a nine-tailed fox spirit meet at a mountain shrine.')
    await dialog.getByRole('button', { name: 'Create project' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Fox Lanterns' })).toBeVisible()
    await page.getByRole('button', { name: /512×288 preview/ }).click()
    await page.getByLabel('Frame rate').fill('12')
    await page.getByRole('button', { name: 'Save' }).nth(1).click()
    await expect(page.getByText('Generation style saved')).toBeVisible()
    await tab(page, 'Story & World').click()
    await page.getByTestId('script-editor').fill(SCREENPLAY)
    await page.getByTestId('script-editor').press(SAVE)
    await expect(page.getByText('Storyline saved')).toBeVisible()
  })

  await test.step('a human and a non-human character from prompts with colour words, drafted', async () => {
    await tab(page, 'Characters').click()
    await character(page, 'Hana', '1girl, long black hair, indigo kimono with red obi, amber eyes', false)
    await expect(page.getByLabel('Species')).toHaveValue('human')
    await character(page, 'Kitsu', 'nine-tailed orange fox spirit, cream chest, golden eyes', true)
    // The draft keeps the user's species words and names colours the studio reads.
    await expect(page.getByLabel('Species')).toHaveValue('nine-tailed fox spirit (NOT human)')
    const card = page.locator('[data-character-card]', { hasText: 'Kitsu' })
    // "cream" is painted as the studio reads it, not as an unknown (checkered) swatch.
    await expect(card.getByRole('img', { name: /^chest / })).toHaveCSS('background-color', 'rgb(255, 248, 214)')
    await shot(page, '40-own-story-characters', { top: true })
    // The drafted colours are valid in the editor too (no unknown swatch, no error).
    await expect(page.getByTestId('appearance-editor').locator('[aria-invalid="true"]')).toHaveCount(0)
  })

  await test.step('character sheets vary view and framing and keep the colours', async () => {
    for (const name of ['Hana', 'Kitsu']) {
      await tab(page, 'Generate').click()
      await page.locator('[data-character-link]', { hasText: name }).click()
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
      await page.getByLabel('Images').fill('4')
      await page.getByTestId('generate-submit').click()
      await expect(page.getByTestId('result-grid').locator('[data-asset]')).toHaveCount(4, { timeout: 90_000 })
      await expect(page.getByTestId('run-status')).toHaveAttribute('data-run-status', 'succeeded', { timeout: 30_000 })
      await shot(page, `41-own-story-sheets-${name.toLowerCase()}`)
    }
  })

  await test.step('scenes from the screenplay; a story timing saves in the shot dialog', async () => {
    await tab(page, 'Scenes').click()
    await page.getByTestId('generate-from-story').click()
    const dialog = page.getByRole('dialog', { name: 'Generate scenes from your story' })
    await expect(dialog.getByTestId('story-plans').locator('li')).toHaveCount(2)
    await dialog.getByTestId('save-story-scenes').click()
    await expect(dialog).toBeHidden()
    await expect(page.locator('[data-scene-link]')).toHaveCount(2)
    await page.getByRole('button', { name: 'Edit shot 1' }).click()
    const editor = page.getByRole('dialog', { name: 'Edit shot 1' })
    await editor.getByLabel('Duration').fill('2.6')
    await editor.getByRole('button', { name: 'Save shot' }).click()
    await expect(editor).toBeHidden()
    await expect(page.locator('[data-shot]').first()).toContainText('2.6')
  })

  await test.step('generate both scenes; the score shows in the Music panel', async () => {
    for (const index of [0, 1]) {
      await page.locator('[data-scene-link]').nth(index).click()
      await page.getByTestId('generate-scene').click()
      const monitor = page.getByTestId('generation-monitor')
      await expect(monitor).toHaveAttribute('data-scene-status', 'completed', { timeout: 240_000 })
      await expect(page.getByTestId('mixed-score')).toContainText('Score composed from the mood')
      // The sidebar and the open scene count the same finished shots.
      const total = await page.locator('[data-shot]').count()
      await expect(page.locator('[data-scene-link]').nth(index)).toContainText(`${total}/${total} shots`)
      await shot(page, `42-own-story-scene-${index + 1}`, { top: true })
    }
  })

  await test.step('an episode of both scenes; three frames saved', async () => {
    await tab(page, 'Episodes').click()
    await page.getByRole('button', { name: 'Create the first episode' }).click()
    const dialog = page.getByRole('dialog', { name: 'New episode' })
    await dialog.getByLabel('Title').fill('The Shrine')
    await dialog.getByRole('button', { name: 'Create episode' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'The Shrine' })).toBeVisible()
    for (const label of ['1. ', '2. ']) {
      const option = page.getByLabel('Scene to add').locator('option', { hasText: label })
      await page.getByLabel('Scene to add').selectOption({ label: (await option.first().textContent())!.trim() })
      await page.getByTestId('add-scene').click()
    }
    await expect(page.locator('[data-episode-scene]')).toHaveCount(2)
    await page.getByTestId('assemble-episode').click()
    await expect(page.getByTestId('episode-status')).toHaveText('Assembled', { timeout: 60_000 })
    const video = page.getByTestId('episode-video')
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1)
    expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(8)
    const frames = await episodeFrames(page)
    expect(frames).toHaveLength(3)
    console.log(`episode frames: ${frames.join(', ')}; screenshots in ${SCREENSHOT_DIR}`)
    await shot(page, '43-own-story-episode', { top: true })
  })

  await test.step('the Jobs tray keeps the finished runs', async () => {
    await page.waitForTimeout(7_000) // finished runs leave the live list after a few seconds
    await page.getByTestId('job-tray').click()
    await expect(page.getByTestId('job-history').locator('[data-history-job]').first()).toBeVisible()
    await expect(page.getByTestId('job-history')).toContainText('Scene generation')
    await shot(page, '44-own-story-job-history')
    await page.keyboard.press('Escape')
  })
})
