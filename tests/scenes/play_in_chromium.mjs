// Play a video file to its end in headless Chromium; print what the player saw as JSON.
// Usage: node play_in_chromium.mjs <playwright-core dir> <chromium> <video.mp4>
import { writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

const [core, executablePath, file] = process.argv.slice(2)
const { chromium } = await import(join(core, 'index.mjs'))
const page_ = join(dirname(file), 'play.html')
writeFileSync(page_, `<video id="v" muted src="${basename(file)}"></video>`)
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
})
try {
  const page = await browser.newPage()
  await page.goto(`file://${page_}`)
  const seen = await page.evaluate(async () => {
    const v = document.getElementById('v')
    const outcome = await new Promise((resolve) => {
      v.onended = () => resolve('ended')
      v.onerror = () => resolve(`error: ${v.error && v.error.message}`)
      v.play().catch((e) => resolve(`error: ${e}`))
      setTimeout(() => resolve('timeout'), 30000)
    })
    const q = v.getVideoPlaybackQuality()
    return { outcome, duration: v.duration, width: v.videoWidth, corrupted: q.corruptedVideoFrames, frames: q.totalVideoFrames }
  })
  console.log(JSON.stringify(seen))
} finally {
  await browser.close()
}
