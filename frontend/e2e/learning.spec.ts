/**
 * The Approve tab's learning panel in a real browser against a real studio on the embedded engines:
 * switch auto-correction on, reject a generated image as "blurry" with the keyboard → the correction run
 * sharpens it and the history shows original → corrected; the top reject reason is counted.
 */
import { expect, test, type APIRequestContext, type BrowserContext } from '@playwright/test'
import { logIn, shot, studio } from './fixtures'

const info = studio('datasets')
test.use({ baseURL: `${info.url}/` })

async function post(context: BrowserContext, request: APIRequestContext, path: string, body: unknown): Promise<{ id: number }> {
  const csrf = (await context.cookies()).find((c) => c.name === 'anime_studio_csrf')?.value ?? ''
  const response = await request.post(`${info.url}/api/lora${path}`, { data: body, headers: { 'X-CSRF-Token': csrf } })
  expect(response.ok(), await response.text()).toBe(true)
  return (await response.json()) as { id: number }
}

test('a rejected image is corrected automatically and shows in the history', async ({ page, context }) => {
  test.setTimeout(60_000)
  await page.goto('./')
  await logIn(page, info)
  const project = await post(context, page.request, '/projects', { name: 'Learning Panel' })
  const hana = await post(context, page.request, `/projects/${project.id}/characters`, {
    name: 'Hana',
    design_prompt: '1girl, short black hair, yellow raincoat',
    appearance_data: { species: 'human', key_colors: { hair: '#1b1b1b', raincoat: '#f2c14e' } },
  })
  await post(context, page.request, `/generate/${hana.id}`, { count: 1, seed: 3 })

  await page.goto(`./projects/${project.id}/approve/${hana.id}`)
  const panel = page.getByTestId('learning-panel')
  await expect(panel).toContainText('What works')
  await expect(page.getByTestId('dataset-image')).toHaveCount(1, { timeout: 30_000 })

  const toggle = page.getByTestId('auto-correction').getByRole('switch')
  await expect(toggle).toHaveAttribute('aria-checked', 'false')
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-checked', 'true')

  await page.getByTestId('dataset-image').first().click()
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('r')
  await page.getByTestId('reject-reasons').getByRole('button').filter({ hasText: / blurry$/ }).click()
  await expect(page.getByTestId('count-rejected')).toHaveText('1')

  const row = page.getByTestId('correction')
  await expect(row).toContainText('blur', { timeout: 30_000 })
  await expect(row).toContainText('done', { timeout: 30_000 })
  await expect(row.locator('img')).toHaveCount(2)
  await expect(row).toContainText('Laplacian variance')
  await expect(page.getByTestId('reject-reasons-top')).toContainText('blurry')
  await shot(page, '45-approve-learning')
})
