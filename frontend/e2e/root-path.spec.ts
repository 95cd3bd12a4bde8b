/** The same build served under `--root-path /anime-studio`: assets, API calls and routes resolve below it. */
import { expect, test } from '@playwright/test'
import { logIn, shot, studio } from './fixtures'

const info = studio('prefixed')
test.use({ baseURL: `${info.url}/` })

test('works under a root path', async ({ page }) => {
  const outside: string[] = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.origin === new URL(info.url).origin && !url.pathname.startsWith('/anime-studio/')) outside.push(url.pathname)
  })

  await page.goto('./')
  await expect(page).toHaveURL(/\/anime-studio\/login/)
  await logIn(page, info)
  await expect(page).toHaveURL(/\/anime-studio\/projects$/)

  await page.getByRole('button', { name: 'New project' }).first().click()
  await page.getByRole('dialog', { name: 'New project' }).getByLabel('Name').fill('Prefixed Project')
  await page.getByRole('button', { name: 'Create project' }).click()
  await expect(page).toHaveURL(/\/anime-studio\/projects\/\d+$/)

  await page.getByRole('link', { name: 'Story & World' }).click()
  await expect(page).toHaveURL(/\/anime-studio\/projects\/\d+\/story$/)
  await expect(page.getByLabel('Title')).toBeVisible()

  // A deep link straight into a tab loads too (the server rewrites <base href>).
  await page.reload()
  await expect(page.getByLabel('Title')).toBeVisible()
  await shot(page, '15-root-path-story')

  // Generated media (thumbnails, files) come from server-made URLs, which carry the root path too.
  const tabs = page.getByRole('navigation', { name: 'Studio sections' })
  await tabs.getByRole('link', { name: 'Characters', exact: true }).click()
  await page.getByRole('button', { name: 'New character' }).click()
  const dialog = page.getByRole('dialog', { name: 'New character' })
  await dialog.getByLabel('Name').fill('Rin')
  await dialog.getByLabel('Design prompt').fill('1girl, red hood')
  await dialog.getByRole('button', { name: 'Create character' }).click()
  await tabs.getByRole('link', { name: 'Generate', exact: true }).click()
  await expect(page).toHaveURL(/\/anime-studio\/projects\/\d+\/generate\/\d+$/)
  await page.getByLabel('Images').fill('1')
  await page.getByTestId('generate-submit').click()
  const thumbnail = page.getByTestId('result-grid').locator('[data-asset] img').first()
  await expect(thumbnail).toBeVisible({ timeout: 30_000 })
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  expect(outside, 'every request stays under the root path').toEqual([])
})
