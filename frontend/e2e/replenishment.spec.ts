/**
 * The replenishment loop from the Approve tab, in a real browser against a real studio on the embedded
 * engines: switch it on, give a human character a target of 2 → a batch is generated, reviewed and
 * triaged by itself; the panel follows live and says where the character stands.
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

test('the loop fills a character towards its target from the Approve tab', async ({ page, context }) => {
  test.setTimeout(60_000)
  await page.goto('./')
  await logIn(page, info)
  const project = await post(context, page.request, '/projects', { name: 'Loop Show' })
  const kai = await post(context, page.request, `/projects/${project.id}/characters`, {
    name: 'Kai',
    design_prompt: '1boy, red jacket, spiky hair',
    appearance_data: { species: 'human', key_colors: { jacket: '#c0392b' } },
  })
  await page.goto(`./projects/${project.id}/approve/${kai.id}`)
  const panel = page.getByTestId('replenishment')
  const row = panel.locator('[data-character="kai"]')
  await expect(row).toContainText('not replenished')

  await row.getByLabel('Target for Kai').fill('2')
  await row.getByRole('button', { name: 'Set' }).click()
  await expect(row.getByTestId('reason')).toHaveText('loop is off')
  await panel.getByTestId('loop-toggle').click()
  await expect(panel.getByTestId('loop-state')).toHaveText('on')

  // Two images, generated and reviewed by the loop; no click on the grid.
  await expect(page.getByTestId('dataset-image')).toHaveCount(2, { timeout: 40_000 })
  await expect(row.getByTestId('reason')).toHaveText(/target reached \(2\/2\)|pending to review|cooldown \d+ s/, { timeout: 20_000 })
  await expect(row.getByTestId('progress')).toContainText('/ 2')
  await shot(page, '45-approve-replenishment')
  await panel.getByTestId('loop-toggle').click()
  await expect(panel.getByTestId('loop-state')).toHaveText('off')
})
