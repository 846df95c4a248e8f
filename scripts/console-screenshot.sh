#!/usr/bin/env bash
# Screenshots of the built-in console, signed in, one PNG per tab.
#
# Headless Chromium cannot fill a login form from the command line, so this
# drives it over the DevTools protocol on a pipe (--remote-debugging-pipe:
# no port, no extra packages; Python's standard library only). It signs in
# through the page's own origin (so the session cookie and CSRF token are the
# real ones), then shows each tab and saves a full-page screenshot.
#
# Usage:
#   scripts/console-screenshot.sh [options] [TAB ...]     TAB: alarms risk kpi registry (default: all)
# Options:
#   --url URL          console address                (default $WEIHUA_URL or http://127.0.0.1:18090)
#   --user NAME        user name                      (default park)
#   --password PW      password; without it, read from --creds
#   --creds FILE       demo credentials JSON written by `weihua demo`
#                      (default /tmp/console-demo/demo-credentials.json)
#   --lang zh|en       console language               (default zh)
#   --out DIR          where the PNGs go              (default /tmp/console-shots)
#   --size WxH         viewport                       (default 1400x1000)
#   --wait SECONDS     settle time per tab            (default 3)
#   --eval JS          JavaScript run in the page before each screenshot
#                      (e.g. to open a dialog); its value is printed
#
# Example (demo server running on 127.0.0.1:18090):
#   scripts/console-screenshot.sh --user e1.safety alarms
#   scripts/console-screenshot.sh --lang en risk kpi
# Requires: chromium (Debian package `chromium`) and a CJK font (e.g. `fonts-wqy-zenhei`).
set -euo pipefail

URL="${WEIHUA_URL:-http://127.0.0.1:18090}"
USER_NAME=park
PASSWORD=""
CREDS=/tmp/console-demo/demo-credentials.json
LANG_UI=zh
OUT=/tmp/console-shots
SIZE=1400x1000
WAIT=3
EVAL=""
TABS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL="$2"; shift 2 ;;
    --user) USER_NAME="$2"; shift 2 ;;
    --password) PASSWORD="$2"; shift 2 ;;
    --creds) CREDS="$2"; shift 2 ;;
    --lang) LANG_UI="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --wait) WAIT="$2"; shift 2 ;;
    --eval) EVAL="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) TABS+=("$1"); shift ;;
  esac
done
[ ${#TABS[@]} -gt 0 ] || TABS=(alarms risk kpi registry)
BROWSER="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$BROWSER" ] || { echo "chromium not found: apt-get install chromium fonts-wqy-zenhei" >&2; exit 1; }
mkdir -p "$OUT"

export URL USER_NAME PASSWORD CREDS LANG_UI OUT SIZE WAIT EVAL BROWSER
exec python3 - "${TABS[@]}" <<'PY'
import base64, json, os, subprocess, sys, tempfile, time

env = os.environ
url, out, lang = env["URL"].rstrip("/"), env["OUT"], env["LANG_UI"]
width, height = (int(x) for x in env["SIZE"].split("x"))
wait = float(env["WAIT"])
tabs = sys.argv[1:]
user, password = env["USER_NAME"], env["PASSWORD"]
if not password:
    try:
        creds = json.load(open(env["CREDS"]))
    except OSError as e:
        sys.exit(f"no --password and cannot read {env['CREDS']}: {e}")
    # Find {"username": user, "password": ...} anywhere in the file.
    def find(v):
        if isinstance(v, dict):
            if v.get("username") == user and "password" in v:
                return v["password"]
            if isinstance(v.get(user), str):
                return v[user]
            v = list(v.values())
        if isinstance(v, list):
            for x in v:
                p = find(x)
                if p:
                    return p
        return None
    password = find(creds) or sys.exit(f"user {user} not found in {env['CREDS']}")

# Chromium reads commands on fd 3 and answers on fd 4, each message ending in NUL.
# The child's ends are first moved above fd 10, so that dup2 onto 3 and 4
# never clobbers them and always clears close-on-exec.
import fcntl
def high(fd):
    h = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return h
to_child_r, to_child_w = map(high, os.pipe())
from_child_r, from_child_w = map(high, os.pipe())
def wire():
    os.dup2(to_child_r, 3)
    os.dup2(from_child_w, 4)
profile = tempfile.mkdtemp(prefix="console-shot-")
proc = subprocess.Popen(
    [env["BROWSER"], "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
     "--no-first-run", "--password-store=basic", f"--user-data-dir={profile}",
     f"--window-size={width},{height}", "about:blank"],
    preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_child_r); os.close(from_child_w)
wr, rd = os.fdopen(to_child_w, "wb"), os.fdopen(from_child_r, "rb")
buf, next_id = b"", 0

def send(method, params=None, session=None):
    global buf, next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    wr.write(json.dumps(msg).encode() + b"\0"); wr.flush()
    while True:
        while b"\0" not in buf:
            chunk = os.read(rd.fileno(), 1 << 20)
            if not chunk:
                sys.exit("chromium closed the pipe")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        m = json.loads(raw)
        if m.get("id") == next_id:
            if "error" in m:
                raise RuntimeError(f"{method}: {m['error']}")
            return m.get("result", {})

try:
    target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
    sid = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    send("Emulation.setDeviceMetricsOverride",
         {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, sid)

    def js(expr):
        r = send("Runtime.evaluate", {"expression": expr, "awaitPromise": True, "returnByValue": True}, sid)
        if "exceptionDetails" in r:
            raise RuntimeError(f"page script failed: {r['exceptionDetails'].get('text')} {expr[:80]}")
        return r.get("result", {}).get("value")

    def load(path):
        send("Page.navigate", {"url": url + path}, sid)
        for _ in range(100):
            time.sleep(0.1)
            if js("document.readyState") == "complete":
                return
        sys.exit(f"{url}{path} did not load")

    load("/")
    status = js(f"""localStorage.setItem('weihua.lang', {json.dumps(lang)});
      fetch('/api/v1/auth/login', {{method: 'POST', headers: {{'Content-Type': 'application/json'}},
        body: JSON.stringify({{username: {json.dumps(user)}, password: {json.dumps(password)}}})}}).then(r => r.status)""")
    if status != 200:
        sys.exit(f"login as {user} failed: HTTP {status}")
    load("/")
    for tab in tabs:
        js(f"location.hash = {json.dumps(tab)}")
        time.sleep(wait)
        if env["EVAL"]:
            print("eval:", json.dumps(js(env["EVAL"]), ensure_ascii=False))
            time.sleep(0.5)
        state = js("""({live: (document.querySelector('#live') || {}).textContent,
          rows: document.querySelectorAll('#a-body tr').length,
          total: (document.querySelector('#a-total') || {}).textContent,
          title: document.title})""")
        h = max(height, int(js("document.documentElement.scrollHeight")))
        shot = send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": h, "scale": 1}}, sid)
        path = os.path.join(out, f"console-{lang}-{tab}.png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(path, json.dumps(state, ensure_ascii=False))
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
PY
