/**
 * Runs `f` at most once every `ms` (trailing): a burst of calls costs one run,
 * and a call during a run schedules one more after it. Used for refetches
 * driven by the event stream, so a flood of alarms is one request a second.
 */
export function coalesce(f: () => Promise<void> | void, ms = 1000) {
  let timer: ReturnType<typeof setTimeout> | null = null
  let running = false
  let again = false
  let last = 0
  const run = async () => {
    timer = null
    running = true
    last = Date.now()
    try { await f() } catch { /* the caller shows its own errors */ } finally {
      running = false
      if (again) { again = false; schedule() }
    }
  }
  function schedule() {
    if (running) { again = true; return }
    if (timer) return
    timer = setTimeout(run, Math.max(0, ms - (Date.now() - last)))
  }
  schedule.cancel = () => { if (timer) clearTimeout(timer); timer = null; again = false }
  schedule.now = () => { if (timer) clearTimeout(timer); timer = null; void run() }
  return schedule
}
