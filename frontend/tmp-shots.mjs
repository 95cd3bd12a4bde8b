import { chromium } from '@playwright/test'
const base = process.env.BASE ?? 'http://127.0.0.1:8455'
const pages = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.type(), m.text()) })
page.on('pageerror', (e) => console.log('pageerror:', e.message))
await page.goto(base + '/login')
await page.getByLabel('Username').fill('admin')
await page.getByLabel('Password').fill('admin-password-1')
await page.getByRole('button', { name: 'Sign in' }).click()
await page.getByTestId('user-menu').waitFor()
for (const spec of pages) {
  const [name, path, action] = spec.split('|')
  await page.goto(base + path)
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(600)
  if (action) { await eval(action); await page.waitForTimeout(600) }
  await page.screenshot({ path: `/tmp/shots/${name}.png` })
  console.log('shot', name)
}
await browser.close()
