/**
 * Echo Brain on the demo project: a question about a character gets an answer, streamed in, that quotes the
 * project and cites that character; the citation opens the character. The demo is created by the CLI (another
 * process), so the answer also proves that memory catches up on facts it was not told about.
 */
import { spawnSync } from 'node:child_process'
import { expect, test } from '@playwright/test'
import { logIn, shot, studio } from './fixtures'
import { studioBinary } from './studio-server'

const info = studio('echo')
test.use({ baseURL: `${info.url}/` })

test('Echo Brain answers about a demo character and cites it', async ({ page }) => {
  test.setTimeout(60_000)
  const demo = spawnSync(studioBinary(), ['demo', '--data-dir', info.dataDir], { encoding: 'utf8', timeout: 60_000 })
  expect(demo.status, demo.stderr || demo.stdout).toBe(0)

  await page.goto('./')
  await logIn(page, info)
  await page.getByRole('navigation', { name: 'Studio sections' }).getByRole('link', { name: 'Echo Brain', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Echo Brain' })).toBeVisible()

  await page.getByTestId('echo-question').fill('What does Hana Aoyama wear?')
  await page.getByTestId('echo-ask').click()
  const answer = page.locator('[data-testid="echo-message"][data-role="assistant"]')
  await expect(answer).toHaveCount(1)
  await expect(answer).toContainText('yellow raincoat')
  const citation = answer.getByTestId('echo-citation').filter({ hasText: 'Character: Hana Aoyama' })
  await expect(citation).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Conversations' }).getByRole('button')).toHaveText(['What does Hana Aoyama wear?'])
  await shot(page, '60-echo-brain')

  await citation.click()
  await expect(page).toHaveURL(/\/characters\/\d+$/)
  await expect(page.getByLabel('Design prompt')).toHaveValue(/yellow raincoat/)
})
