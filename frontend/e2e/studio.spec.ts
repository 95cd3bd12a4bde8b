/**
 * The main path through the studio in a real browser against a real server:
 * log in → create a project → storyline and world palette → two characters (one NOT human)
 * → the composed prompt carries the non-human negatives. Saves a screenshot of every tab.
 */
import { expect, test } from '@playwright/test'
import { SAVE, logIn, publishEvents, shot, studio } from './fixtures'

const info = studio('root')
test.use({ baseURL: `${info.url}/` })

test('from login to a non-human character prompt', async ({ page }) => {
  await test.step('log in', async () => {
    await page.goto('./')
    await expect(page).toHaveURL(/\/login/)
    await shot(page, '01-login')
    await page.getByLabel('Username').fill(info.username)
    await page.getByLabel('Password').fill('wrong-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('alert')).toContainText('do not match')
    await logIn(page, info)
  })

  await test.step('first run: create a project', async () => {
    await expect(page.getByRole('heading', { name: 'Create your first project' })).toBeVisible()
    await shot(page, '02-first-run')
    await page.getByRole('button', { name: 'New project' }).first().click()
    const dialog = page.getByRole('dialog', { name: 'New project' })
    await dialog.getByLabel('Name').fill('Lantern Road')
    await dialog.getByLabel('Genre').fill('slice of life, fantasy')
    await dialog.getByLabel('Premise').fill('A courier and a lantern spirit deliver letters no one else can.')
    await shot(page, '03-new-project-dialog')
    await dialog.getByRole('button', { name: 'Create project' }).click()
    await expect(page).toHaveURL(/\/projects\/\d+$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Lantern Road' })).toBeVisible()
  })

  await test.step('edit the generation style and save with the keyboard', async () => {
    const steps = page.getByLabel('Steps')
    await steps.fill('32')
    await expect(page.getByText('Unsaved').first()).toBeVisible()
    await steps.press(SAVE)
    await expect(page.getByText('Generation style saved')).toBeVisible()
    await page.getByRole('button', { name: /16:9 · 1280×720/ }).click()
    await page.getByRole('button', { name: 'Save' }).nth(1).click()
    await expect(page.getByLabel('Width')).toHaveValue('1280')
    await shot(page, '04-project', { top: true })
  })

  await test.step('storyline with themes and a Fountain script', async () => {
    await page.getByRole('link', { name: 'Story & World' }).click()
    await expect(page.getByRole('heading', { name: 'Story & World' })).toBeVisible()
    await page.getByLabel('Title').fill('Lantern Road')
    const themes = page.getByLabel('Themes')
    await themes.fill('friendship')
    await themes.press('Enter')
    await themes.fill('small miracles, night')
    await themes.press('Enter')
    await page.getByTestId('script-editor').fill(
      'INT. LANTERN SHOP - NIGHT\n\nMika sweeps the floor. Pip flickers on the shelf.\n\nMIKA\nWho is there?\n\nEXT. HARBOUR - DAWN\n\nThey run along the pier.',
    )
    await expect(page.getByText('2 scenes')).toBeVisible()

    // Leaving with unsaved edits asks first.
    await page.getByRole('link', { name: 'Characters' }).click()
    await expect(page.getByRole('dialog', { name: 'Discard unsaved changes?' })).toBeVisible()
    await page.getByRole('button', { name: 'Keep editing' }).click()
    await expect(page.getByRole('heading', { name: 'Story & World' })).toBeVisible()

    await page.getByTestId('script-editor').press(SAVE)
    await expect(page.getByText('Storyline saved')).toBeVisible()
    await expect(page.locator('[data-tag]')).toHaveCount(3)
    await shot(page, '05-storyline')
  })

  await test.step('world settings and palette', async () => {
    await page.getByRole('tab', { name: 'World' }).click()
    await page.getByLabel('Negative prompt guidance').fill('photorealistic, 3d render')
    await page.getByLabel('Style preamble').fill('90s cel anime, soft watercolour backgrounds')
    await page.getByRole('button', { name: 'Add primary colour' }).click()
    await page.getByRole('button', { name: 'Add primary colour' }).click()
    await page.getByLabel('Primary colour 1', { exact: true }).fill('#1F3B5B')
    await page.getByLabel('Primary colour 1', { exact: true }).press('Tab')
    await page.getByLabel('Primary colour 2', { exact: true }).fill('#f2a541')
    await page.getByLabel('Primary colour 2', { exact: true }).press('Tab')
    await page.getByRole('button', { name: 'Add background colour' }).click()
    await page.getByLabel('Background colour 1', { exact: true }).fill('#0d1b2a')
    await page.getByLabel('Background colour 1', { exact: true }).press('Tab')
    await page.getByRole('button', { name: 'Add accent colour' }).click()
    await page.getByRole('button', { name: /Remove accent colour/ }).click()
    await page.getByRole('button', { name: 'Add cinematography rule' }).click()
    await page.getByLabel('Cinematography aspect 1').fill('lens')
    await page.getByLabel('Cinematography choice 1').fill('35mm')
    await page.getByRole('button', { name: 'Save' }).last().click()
    await expect(page.getByText('World settings saved')).toBeVisible()
    await shot(page, '06-world', { top: true })

    await page.reload()
    await page.getByRole('tab', { name: 'World' }).click()
    await expect(page.getByLabel('Primary colour 1', { exact: true })).toHaveValue('#1f3b5b')
    await expect(page.getByLabel('Primary colour 2', { exact: true })).toHaveValue('#f2a541')
    await expect(page.getByLabel('Background colour 1', { exact: true })).toHaveValue('#0d1b2a')
    await expect(page.locator('[data-role="accent"] [data-swatch]')).toHaveCount(0)
  })

  await test.step('a human character', async () => {
    await page.getByRole('link', { name: 'Characters' }).click()
    await expect(page.getByRole('heading', { name: 'Add your first character' })).toBeVisible()
    await shot(page, '07-characters-empty')
    await page.getByRole('button', { name: 'New character' }).click()
    const dialog = page.getByRole('dialog', { name: 'New character' })
    await dialog.getByLabel('Name').fill('Mika')
    await dialog.getByLabel('Role').fill('courier')
    await dialog.getByLabel('Design prompt').fill('1girl, short black bob, yellow raincoat, red scarf')
    await dialog.getByRole('button', { name: 'Create character' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Mika' })).toBeVisible()
    await expect(dialog).toBeHidden()

    await page.getByRole('button', { name: 'Add key colour' }).click()
    await page.getByLabel('Key colours part 1').fill('hair')
    await page.getByLabel('hair colour', { exact: true }).fill('#1b1b1b')
    const errors = page.getByLabel('Common errors')
    await errors.fill('long hair')
    await errors.press('Enter')
    await errors.press(SAVE)
    await expect(page.getByText('Saved Mika')).toBeVisible()

    const negative = page.getByTestId('prompt-negative')
    await expect(negative.locator('[data-source="error"]')).toHaveText(['long hair'])
    await expect(negative.locator('[data-source="species"]')).toHaveCount(0)
    await expect(negative.locator('[data-source="world"]').first()).toHaveText('photorealistic')
    await expect(page.getByTestId('prompt-positive')).toContainText('yellow raincoat')
  })

  await test.step('a NOT human character gets the species negatives', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'New character' })
    await dialog.getByLabel('Name').fill('Pip')
    await dialog.getByLabel('Role').fill('lantern spirit sidekick')
    await dialog.getByRole('switch', { name: 'Non-human' }).click()
    await expect(dialog.getByLabel('Species', { exact: true })).toHaveValue('creature (NOT human)')
    await shot(page, '08-new-character-dialog')
    await dialog.getByLabel('Design prompt').fill('small round paper lantern, dot eyes, glowing')
    await dialog.getByRole('button', { name: 'Create character' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Pip' })).toBeVisible()
    await expect(dialog).toBeHidden()

    const appearance = page.getByTestId('appearance-editor')
    const species = appearance.getByLabel('Species', { exact: true })
    const toggle = appearance.getByRole('switch', { name: 'Non-human' })
    await expect(toggle).toHaveAttribute('aria-checked', 'true')
    await toggle.click()
    await expect(species).toHaveValue('creature')
    await species.fill('lantern spirit')
    await toggle.click()
    await expect(species).toHaveValue('lantern spirit (NOT human)')

    await page.getByRole('button', { name: 'Add key colour' }).click()
    await page.getByLabel('Key colours part 1').fill('body')
    await page.getByLabel('body colour', { exact: true }).fill('#f39c12')
    const errors = page.getByLabel('Common errors')
    await errors.fill('human hands, arms')
    await errors.press('Enter')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('Saved Pip')).toBeVisible()

    const negative = page.getByTestId('prompt-negative')
    await expect(negative.locator('[data-source="species"]')).toHaveText([
      'human',
      'human face',
      'human skin',
      'realistic person',
      'humanoid body',
      'human proportions',
    ])
    await expect(negative.locator('[data-source="error"]')).toHaveText(['human hands', 'arms'])
    await expect(page.getByTestId('prompt-preview').getByText('Non-human', { exact: true })).toBeVisible()
    await expect(page.locator('[data-character-card]')).toHaveCount(2)
    await expect(page.getByTestId('non-human-badge')).toHaveCount(1)
    await shot(page, '09-characters', { top: true })
  })

  await test.step('live job progress arrives over the event stream', async () => {
    // A worker process reports a run; the tray shows it, then a toast says how it ended.
    publishEvents(info, [
      ['run.queued', { run_id: 'e2e-1', kind: 'image_generation', subject: 'Pip' }],
      ['run.progress', { run_id: 'e2e-1', progress: 0.4, message: 'step 10 of 25' }],
      ['run.started', { run_id: 'e2e-2', kind: 'scene_render', subject: 'Harbour at dawn' }],
    ])
    const tray = page.getByTestId('job-tray')
    await expect(tray).toHaveAttribute('aria-label', '2 jobs running')
    await tray.click()
    await expect(page.locator('[data-job]', { hasText: 'Pip' }).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '40')
    await expect(page.getByText('step 10 of 25')).toBeVisible()
    await shot(page, '10-job-tray')
    await page.keyboard.press('Escape')

    publishEvents(info, [['run.finished', { run_id: 'e2e-1', status: 'succeeded', message: '4 images ready' }]])
    await expect(page.getByText('Image generation: Pip finished')).toBeVisible()
    await expect(tray).toHaveAttribute('aria-label', '1 job running')
    publishEvents(info, [['run.finished', { run_id: 'e2e-2', error: 'ffmpeg could not read shot 3' }]])
    await expect(page.getByText('Scene render: Harbour at dawn failed')).toBeVisible()
    // A failed job stays in the tray (to retry or read) until it is dismissed.
    await expect(tray).toHaveAttribute('aria-label', '1 failed')
    await tray.click()
    await expect(page.locator('[data-job]', { hasText: 'ffmpeg could not read shot 3' })).toBeVisible()
    await page.locator('[data-job]', { hasText: 'Scene render' }).getByRole('button', { name: 'Dismiss' }).click()
    await expect(tray).toHaveAttribute('aria-label', 'Jobs')
    await page.keyboard.press('Escape')
  })

  await test.step('project switcher and API tokens', async () => {
    await page.getByTestId('project-switcher').click()
    // The character count arrives live (character.changed over the event stream).
    await expect(page.getByRole('option', { name: /Lantern Road/ })).toContainText('2 characters')
    await shot(page, '11-project-switcher')
    await page.keyboard.press('Escape')
    await expect(page.getByRole('option', { name: /Lantern Road/ })).toBeHidden()

    await page.getByTestId('user-menu').click()
    await shot(page, '12-user-menu')
    await page.getByRole('menuitem', { name: 'API tokens' }).click()
    const dialog = page.getByRole('dialog', { name: 'API tokens' })
    await dialog.getByLabel('Token name').fill('render farm')
    await dialog.getByRole('button', { name: 'Create token' }).click()
    await expect(dialog.getByTestId('new-token')).toBeVisible()
    await expect(dialog.locator('[data-token-row]')).toHaveCount(1)
    await shot(page, '13-api-tokens')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()

    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: 'Users' }).click()
    await expect(page.getByRole('dialog', { name: 'Users' }).locator('[data-user-row]')).toHaveCount(1)
    await shot(page, '14-users')
    await page.keyboard.press('Escape')
  })

  await test.step('a second project from the switcher, deleted with confirmation', async () => {
    await page.getByTestId('project-switcher').click()
    await page.getByRole('button', { name: 'New project…' }).click()
    await page.getByRole('dialog', { name: 'New project' }).getByLabel('Name').fill('Scratch')
    await page.getByRole('button', { name: 'Create project' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Scratch' })).toBeVisible()
    await page.getByRole('button', { name: 'Delete project' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete “Scratch”?' })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await expect(confirm).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'Scratch' })).toBeVisible()
    await page.getByRole('button', { name: 'Delete project' }).click()
    await confirm.getByRole('button', { name: 'Delete project' }).click()
    await expect(page.getByText('Deleted “Scratch”')).toBeVisible()
    await expect(page.getByRole('link', { name: /Scratch/ })).toHaveCount(0)
  })

  await test.step('the last project is remembered', async () => {
    await page.goto('./')
    await expect(page).toHaveURL(/\/projects\/\d+$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Lantern Road' })).toBeVisible()
  })
})
