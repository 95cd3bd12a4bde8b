/**
 * Review as a small team works it, editor and reviewer each in their own browser against a real studio on the
 * embedded engines: the scene is generated twice → two versions → the reviewer comments at 00:02 on version 2
 * and asks for a retake of shot 1 → the editor sees the comment arrive live and regenerates the shot → the
 * reviewer approves everything from the keyboard → publishing, refused before, succeeds and its provenance
 * lists the approved versions.
 */
import { expect, request, test, type APIRequestContext, type Browser, type Page } from '@playwright/test'
import { logIn, studio } from './fixtures'

const info = studio('review') // its own studio: the root one must stay empty for studio.spec's first run
test.use({ baseURL: `${info.url}/` })

const PASSWORD = 'review-e2e-password'

interface Session {
  api: APIRequestContext
  csrf: string
}

async function signIn(username: string, password: string): Promise<Session> {
  const api = await request.newContext({ baseURL: `${info.url}/` })
  const response = await api.post('api/lora/auth/login', { data: { username, password } })
  expect(response.status(), await response.text()).toBe(200)
  return { api, csrf: (await response.json()).csrf_token as string }
}

async function call(session: Session, method: 'GET' | 'POST' | 'PUT', path: string, data?: unknown) {
  const response = await session.api.fetch(`api/lora${path}`, { method, data, headers: { 'X-CSRF-Token': session.csrf } })
  const body = response.status() === 204 ? null : await response.json()
  return { status: response.status(), body }
}

async function finished(session: Session, runId: number) {
  for (let i = 0; i < 600; i += 1) {
    const { body } = await call(session, 'GET', `/jobs/${runId}`)
    if (['succeeded', 'failed', 'cancelled'].includes(body.status)) return body
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`run ${runId} did not finish`)
}

async function run(session: Session, path: string) {
  const started = await call(session, 'POST', path)
  expect(started.status, JSON.stringify(started.body)).toBe(202)
  const done = await finished(session, started.body.id)
  expect(done.status, done.error).toBe('succeeded')
  return done
}

async function browserAs(browser: Browser, username: string, url: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await page.goto('./')
  await logIn(page, { ...info, username, password: PASSWORD })
  await page.goto(url)
  await expect(page.getByTestId('review-player')).toBeVisible()
  return page
}

test('editor and reviewer: versions, a comment at 00:02, a retake, approvals, then publishing', async ({ browser }) => {
  test.setTimeout(180_000)
  const admin = await signIn(info.username, info.password)
  for (const [username, role] of [['eddie', 'editor'], ['rita', 'reviewer']]) {
    expect((await call(admin, 'POST', '/users', { username, password: PASSWORD, role })).status).toBe(201)
  }
  const editor = await signIn('eddie', PASSWORD)
  const project = (await call(editor, 'POST', '/projects', { name: 'Review Night' })).body
  await call(editor, 'PUT', `/projects/${project.id}/style`, { width: 160, height: 96, fps: 12, steps: 20 })
  const scene = (await call(editor, 'POST', '/scenes', { project_id: project.id, title: 'Rooftop', mood: 'peaceful' })).body
  const shots = []
  for (let n = 0; n < 2; n += 1) shots.push((await call(editor, 'POST', `/scenes/${scene.id}/shots`, { duration: 1.5 })).body.id)
  const episode = (await call(editor, 'POST', '/episodes', { project_id: project.id, title: 'Pilot' })).body
  await call(editor, 'POST', `/episodes/${episode.id}/scenes`, { scene_id: scene.id })

  // The editor generates the scene twice: two versions.
  const scenePage = `projects/${project.id}/scenes/${scene.id}`
  await run(editor, `/scenes/${scene.id}/generate`)
  await run(editor, `/scenes/${scene.id}/generate`)
  const editorPage = await browserAs(browser, 'eddie', scenePage)
  const reviewerPage = await browserAs(browser, 'rita', scenePage)
  await expect(reviewerPage.getByTestId('review-version-1')).toBeVisible()
  await expect(reviewerPage.getByTestId('review-version-2')).toBeVisible()

  // Publishing is refused: nothing is approved yet.
  await run(editor, `/episodes/${episode.id}/assemble`)
  const refused = await call(editor, 'POST', `/episodes/${episode.id}/publish`)
  expect(refused.status).toBe(409)
  expect(refused.body.detail).toContain('not approved: scene 1 (Rooftop) shot 1: in review')

  // The reviewer comments at 00:02 on version 2; the editor sees it arrive without reloading.
  await reviewerPage.getByTestId('review-version-2').click()
  await reviewerPage.getByTestId('review-video').evaluate(async (video: HTMLVideoElement) => {
    if (video.readyState < 1) await new Promise((r) => video.addEventListener('loadedmetadata', r, { once: true }))
    video.currentTime = 2
    await new Promise((r) => video.addEventListener('seeked', r, { once: true }))
  })
  await expect(reviewerPage.getByTestId('review-time')).toContainText('00:02.000 · f24')
  await reviewerPage.getByTestId('review-comment-input').fill('@eddie the lantern flickers here')
  await reviewerPage.getByTestId('review-comment-send').click()
  const comment = editorPage.getByTestId('review-comment').filter({ hasText: 'the lantern flickers here' })
  await expect(comment).toContainText('00:02.000 · f24')
  await expect(comment.getByRole('img')).toBeVisible()

  // Retake of shot 1, with the reason; the editor regenerates it in one click.
  await reviewerPage.getByTestId('review-subject').selectOption({ label: 'Shot 1' })
  await expect(reviewerPage.getByTestId('review-version-2')).toBeVisible()
  await reviewerPage.getByTestId('review-reason').fill('hair colour drifts')
  await reviewerPage.getByTestId('review-retake').click()
  await expect(reviewerPage.getByTestId('review-status')).toHaveText('Retake · hair colour drifts')
  await editorPage.getByTestId('review-subject').selectOption({ label: 'Shot 1' })
  await expect(editorPage.getByTestId('review-status')).toHaveText('Retake · hair colour drifts')
  await editorPage.getByTestId('review-regenerate').click()
  await expect(editorPage.getByTestId('review-version-3')).toBeVisible({ timeout: 60_000 })

  // The reviewer approves shot 1, shot 2 and the scene from the keyboard.
  await expect(reviewerPage.getByTestId('review-version-3')).toBeVisible({ timeout: 30_000 })
  for (const label of ['Shot 1', 'Shot 2', 'Whole scene']) {
    await reviewerPage.getByTestId('review-subject').selectOption({ label })
    await expect(reviewerPage.getByTestId('review-status')).toHaveText(/In review/)
    await reviewerPage.getByTestId('review-video').click() // focus leaves the select: keys reach the player
    await reviewerPage.keyboard.press('a')
    await expect(reviewerPage.getByTestId('review-status')).toHaveText('Approved')
  }

  // Publishing now succeeds (after assembling the approved cut) and records the versions it contains.
  await run(editor, `/episodes/${episode.id}/assemble`)
  const published = await run(editor, `/episodes/${episode.id}/publish`)
  expect(published.result.versions).toEqual([
    `episode ${episode.id} version 2`,
    `scene ${scene.id} version 3: shot ${shots[0]} v3, shot ${shots[1]} v2`,
  ])
})
