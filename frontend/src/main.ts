import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { setUnauthorizedHandler } from './api/http'
import { eventStream } from './composables/useEventStream'
import { useAuthStore } from './features/auth/store'
import { createStudioRouter } from './router'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
const router = createStudioRouter()
app.use(router)

// A lost session anywhere sends the user to the login page, then back to where they were.
setUnauthorizedHandler(() => {
  const auth = useAuthStore(pinia)
  if (!auth.signedIn) return
  auth.clear()
  eventStream().stop()
  const current = router.currentRoute.value
  if (current.name !== 'login') void router.push({ name: 'login', query: { next: current.fullPath, expired: '1' } })
})

app.mount('#app')
