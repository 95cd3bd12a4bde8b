/**
 * A newcomer's path from login to a published episode, in a real browser against a real studio
 * on the embedded engines (storyboard images, heuristic review, Ken Burns video, espeak-ng voices,
 * synthesised music): project → two characters (one NOT human) → generate and approve images →
 * a scene with two dialogue shots → generate it → an episode → assemble → play → publish → gallery.
 */
import { expect, test, type Page } from '@playwright/test'
import { SAVE, logIn, shot, studio } from './fixtures'

const info = studio('newcomer')
test.use({ baseURL: `${info.url}/` })

/** A 64×64 PNG (an orange square), for the reference-image upload. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAAUUlEQVR42u3PMQ0AMAgAMJgE9OMSA1PBQdI6aE5XXPbiOAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAYF9H9tlAiGwAWyaAAAAAElFTkSuQmCC',
  'base64',
)

/** A tab of the studio's tab bar. */
function tab(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Studio sections' }).getByRole('link', { name, exact: true })
}

/** Wait until a <video> has loaded its metadata; returns its duration in seconds. */
async function videoDuration(page: Page, testId: string): Promise<number> {
  const video = page.getByTestId(testId)
  await expect(video).toBeVisible()
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
  return video.evaluate((v: HTMLVideoElement) => v.duration)
}

test('a newcomer goes from login to a published episode', async ({ page }) => {
  test.setTimeout(150_000)

  await test.step('log in and create a project with a small, fast style', async () => {
    await page.goto('./')
    await logIn(page, info)
    await page.getByRole('button', { name: 'New project' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'New project' })
    await dialog.getByLabel('Name').fill('Harbour Lights')
    await dialog.getByLabel('Premise').fill('A courier and a lantern spirit deliver letters at dawn.')
    await dialog.getByRole('button', { name: 'Create project' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Harbour Lights' })).toBeVisible()
    // The project page lays out the way to a published episode; the premise already tells the story.
    const steps = page.getByTestId('getting-started')
    await expect(steps.locator('[data-step]')).toHaveCount(6)
    await expect(steps.locator('[data-step="story"]')).toHaveAttribute('data-done', 'true')
    await expect(steps.locator('[data-step="characters"]')).toHaveAttribute('data-done', 'false')
    // Small frames at 12 fps keep the animatic quick on a laptop CPU.
    await page.getByRole('button', { name: /512×288 preview/ }).click()
    await page.getByLabel('Frame rate').fill('12')
    await page.getByRole('button', { name: 'Save' }).nth(1).click()
    await expect(page.getByText('Generation style saved')).toBeVisible()
    await expect(page.getByLabel('Width')).toHaveValue('512')
    await shot(page, '20-newcomer-project', { top: true })

    // A short screenplay: the studio can break it into scenes later.
    await tab(page, 'Story & World').click()
    await page.getByTestId('script-editor').fill(
      'EXT. HARBOUR PIER - DAWN\n\nMika runs along the pier with a satchel of letters.\n\nMIKA\nLast delivery before sunrise!\n\nINT. LANTERN SHOP - NIGHT\n\nA paper lantern flickers on the shelf.',
    )
    await page.getByTestId('script-editor').press(SAVE)
    await expect(page.getByText('Storyline saved')).toBeVisible()
  })

  await test.step('two characters, one of them NOT human, with a reference image', async () => {
    await tab(page, 'Characters').click()
    await page.getByRole('button', { name: 'New character' }).click()
    let dialog = page.getByRole('dialog', { name: 'New character' })
    await dialog.getByLabel('Name').fill('Mika')
    await dialog.getByLabel('Design prompt').fill('1girl, short black bob, yellow raincoat, red scarf')
    await dialog.getByRole('button', { name: 'Create character' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Mika' })).toBeVisible()

    await page.getByRole('button', { name: 'New', exact: true }).click()
    dialog = page.getByRole('dialog', { name: 'New character' })
    await dialog.getByLabel('Name').fill('Pip')
    await dialog.getByRole('switch', { name: 'Non-human' }).click()
    await dialog.getByLabel('Design prompt').fill('small round paper lantern spirit, dot eyes, warm glow')
    await dialog.getByRole('button', { name: 'Create character' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Pip' })).toBeVisible()

    await page.getByLabel('Upload reference images').setInputFiles({ name: 'pip sketch.png', mimeType: 'image/png', buffer: PNG })
    await expect(page.getByTestId('reference-images').locator('[data-reference]')).toHaveCount(1)
    await expect(page.getByTestId('reference-images').getByRole('img', { name: 'pip-sketch.png' })).toBeVisible()
    await page.getByTestId('reference-images').scrollIntoViewIfNeeded()
    await shot(page, '21-characters-references')
  })

  await test.step('generate images; approve the non-human character’s by hand', async () => {
    await tab(page, 'Generate').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Mika' })).toBeVisible()
    await page.getByLabel('Images').fill('2')
    await page.getByTestId('generate-submit').click()
    const mikaTiles = page.getByTestId('result-grid').locator('[data-asset]')
    await expect(mikaTiles).toHaveCount(2, { timeout: 30_000 })
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-run-status', 'succeeded')
    // A human character is approved automatically when the review scores it high enough; approve the rest.
    const approveAll = page.getByTestId('approve-all')
    if (await approveAll.isVisible()) await approveAll.click()
    await expect(mikaTiles.locator('[data-testid="asset-status"]')).toHaveText(['Approved', 'Approved'])

    await page.locator('[data-character-link]', { hasText: 'Pip' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Pip' })).toBeVisible()
    await page.getByLabel('Images').fill('2')
    await page.getByTestId('generate-submit').click()
    const pipTiles = page.getByTestId('result-grid').locator('[data-asset]')
    await expect(pipTiles).toHaveCount(2, { timeout: 30_000 })
    // A non-human character is never approved automatically: both wait for a person.
    await expect(pipTiles.locator('[data-testid="asset-status"]')).toHaveText(['Needs review', 'Needs review'])
    await expect(page.getByRole('note')).toContainText('not human')
    await pipTiles.first().getByRole('button', { name: /^Approve image/ }).click()
    await expect(pipTiles.first()).toHaveAttribute('data-status', 'approved')
    await expect(page.getByText('Approved 1 image')).toBeVisible()
    await shot(page, '22-generate-results')
  })

  await test.step('an empty Scenes tab offers to generate scenes from the story', async () => {
    await tab(page, 'Scenes').click()
    await expect(page.getByRole('heading', { name: 'No scenes yet' })).toBeVisible()
    await expect(page.getByTestId('generate-from-story')).toBeVisible()
    await shot(page, '23-scenes-empty')

    // Preview the breakdown of the screenplay, keep only the first scene.
    await page.getByTestId('generate-from-story').click()
    const dialog = page.getByRole('dialog', { name: 'Generate scenes from your story' })
    const plans = dialog.getByTestId('story-plans').locator('li')
    await expect(plans).toHaveCount(2)
    await expect(plans.nth(0)).toContainText('Harbour Pier')
    await shot(page, '23b-scenes-from-story')
    await plans.nth(1).locator('label').click()
    await dialog.getByTestId('save-story-scenes').click()
    await expect(dialog).toBeHidden()
    await expect(page.locator('[data-scene-link]')).toHaveCount(1)
    await expect(page.getByRole('heading', { level: 1, name: /Harbour Pier/i })).toBeVisible()
    await expect(page.locator('[data-shot]').first()).toBeVisible()
  })

  await test.step('build a scene with two dialogue shots', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New scene' })
    await dialog.getByLabel('Title').fill('Harbour at dawn')
    await dialog.getByLabel('Time of day').fill('dawn')
    await dialog.getByLabel('Mood').fill('calm')
    await dialog.getByRole('button', { name: 'Create scene' }).click()
    await expect(page.getByRole('heading', { level: 1, name: /Harbour at dawn/ })).toBeVisible()

    await page.getByTestId('add-shot').click()
    let editor = page.getByRole('dialog', { name: 'New shot' })
    await editor.getByRole('button', { name: /^Mika image/ }).first().click()
    await editor.getByLabel('Duration').fill('2')
    const chip = editor.locator('[data-preset]').nth(3)
    const preset = (await chip.textContent())!.trim()
    await chip.click()
    await expect(editor.getByLabel('Motion prompt')).toHaveValue(preset)
    await editor.getByLabel('Speaking character').selectOption({ label: 'Mika' })
    await editor.getByLabel('Dialogue').fill('Who is there?')
    await shot(page, '24-shot-editor')
    await editor.getByRole('button', { name: 'Add shot' }).click()
    await expect(editor).toBeHidden()

    await page.getByTestId('add-shot').click()
    editor = page.getByRole('dialog', { name: 'New shot' })
    await editor.getByRole('button', { name: /^Pip image/ }).first().click()
    await editor.getByLabel('Shot type').selectOption('close-up')
    await editor.getByLabel('Duration').fill('2')
    await editor.locator('[data-preset]').first().click()
    await editor.getByLabel('Speaking character').selectOption({ label: 'Pip' })
    await editor.getByLabel('Dialogue').fill('Only me, with your letters.')
    await editor.getByRole('button', { name: 'Add shot' }).click()
    await expect(editor).toBeHidden()

    const cards = page.locator('[data-shot]')
    await expect(cards).toHaveCount(2)
    await expect(cards.nth(0)).toContainText('Who is there?')
    // Drag the second shot above the first, then back: the order is saved each time.
    const items = page.locator('[data-sortable-id]')
    await items.nth(1).dragTo(items.nth(0))
    await expect(cards.nth(0)).toContainText('Only me')
    await page.reload()
    await expect(page.locator('[data-shot]').nth(0)).toContainText('Only me')
    await page.locator('[data-sortable-id]').nth(1).dragTo(page.locator('[data-sortable-id]').nth(0))
    await expect(page.locator('[data-shot]').nth(0)).toContainText('Who is there?')
  })

  await test.step('generate the scene and watch the monitor reach completed', async () => {
    await page.getByTestId('generate-scene').click()
    const monitor = page.getByTestId('generation-monitor')
    await expect(monitor).toHaveAttribute('data-scene-status', 'completed', { timeout: 60_000 })
    await expect(monitor.locator('[data-monitor-shot]')).toHaveCount(2)
    await expect(monitor.locator('[data-monitor-shot]').getByText('Completed')).toHaveCount(2)
    await expect(page.locator('[data-shot-status="completed"], [data-shot-status="low_quality"]')).toHaveCount(2)
    const duration = await videoDuration(page, 'scene-video')
    expect(duration).toBeGreaterThan(3)
    await shot(page, '25-scenes-monitor', { top: true })
  })

  await test.step('an episode: add the scene, assemble, play with subtitles, publish', async () => {
    await tab(page, 'Episodes').click()
    await expect(page.getByRole('heading', { name: 'No episodes yet' })).toBeVisible()
    await page.getByRole('button', { name: 'Create the first episode' }).click()
    const dialog = page.getByRole('dialog', { name: 'New episode' })
    await dialog.getByLabel('Title').fill('Letters at Dawn')
    await dialog.getByLabel('Description').fill('Mika meets the lantern spirit on the pier.')
    await dialog.getByRole('button', { name: 'Create episode' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Letters at Dawn' })).toBeVisible()

    await page.getByLabel('Scene to add').selectOption({ label: '2. Harbour at dawn' })
    await page.getByTestId('add-scene').click()
    await expect(page.locator('[data-episode-scene]')).toHaveCount(1)
    await expect(page.locator('[data-episode-scene]')).toContainText('Harbour at dawn')
    await page.getByTestId('assemble-episode').click()
    await expect(page.getByTestId('episode-status')).toHaveText('Assembled', { timeout: 30_000 })
    const duration = await videoDuration(page, 'episode-video')
    expect(duration).toBeGreaterThan(3)
    await expect.poll(() => page.getByTestId('episode-video').evaluate((v: HTMLVideoElement) => v.textTracks.length)).toBe(1)

    // Publishing needs approved versions (the project's default review gate): approve the scene's cut.
    await page.getByTestId('review-subject').selectOption({ label: 'Scene: Harbour at dawn' })
    await expect(page.getByTestId('review-status')).toHaveText(/In review/)
    await page.getByTestId('review-approve').click()
    await expect(page.getByTestId('review-status')).toHaveText('Approved')
    await page.getByLabel('Season').fill('1')
    await page.getByTestId('publish-episode').click()
    await expect(page.getByTestId('episode-status')).toHaveText('Published', { timeout: 30_000 })
    await expect(page.getByTestId('published-path')).toContainText('S01E01')
    await expect(page.getByTestId('published-path')).toContainText('Letters at Dawn')
    await shot(page, '26-episodes-published', { top: true })

    // The jobs tray shows the runs that just finished, each linked to its episode.
    await page.getByTestId('job-tray').click()
    await expect(page.locator('[data-job]', { hasText: 'Publishing' }).getByRole('link', { name: 'Letters at Dawn' })).toBeVisible()
    await shot(page, '30-job-tray-after-publish')
    await page.keyboard.press('Escape')
  })

  await test.step('the gallery: filter, move with the keyboard, open the lightbox', async () => {
    await tab(page, 'Gallery').click()
    const grid = page.getByTestId('gallery-grid')
    await expect(grid.locator('[data-asset]').first()).toBeVisible()
    await shot(page, '27-gallery')
    await page.getByRole('radio', { name: 'Images' }).click()
    await expect(grid.locator('[data-asset]')).toHaveCount(4)
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('Enter')
    const lightbox = page.getByTestId('lightbox')
    await expect(lightbox).toBeVisible()
    await expect(lightbox).toContainText('2 / 4')
    await expect(lightbox.getByTestId('provenance-prompt')).toContainText('anime style')
    await shot(page, '28-gallery-lightbox')
    await page.keyboard.press('ArrowRight')
    await expect(lightbox).toContainText('3 / 4')
    await page.keyboard.press('Escape')
    await expect(lightbox).toBeHidden()
  })

  await test.step('the project page counts the work, and every step is done', async () => {
    await tab(page, 'Project').click()
    await expect(page.getByRole('link', { name: /Scenes\s*2/ })).toBeVisible()
    await expect(page.getByRole('link', { name: /Episodes\s*1/ })).toBeVisible()
    await expect(page.getByTestId('getting-started')).toHaveCount(0)
  })

  await test.step('engines and jobs in the header', async () => {
    await page.getByTestId('engines-indicator').click()
    await expect(page.locator('[data-engine]').first()).toBeVisible()
    await expect(page.getByTestId('gpu-status')).toContainText('None configured')
    await shot(page, '29-engines')
    await page.keyboard.press('Escape')
  })
})
