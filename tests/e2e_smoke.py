#!/usr/bin/python3
# End to end: start the real servicebuero binary, find its window and its
# areas through the accessibility tree by their visible names, switch areas
# with the pointer's action and with real key presses, and quit with Ctrl+Q.
#
# Runs in a private D-Bus session with its own accessibility bus, so it never
# touches the desktop of whoever runs it. Needs an X display (the test command
# starts Xvfb), python3-pyatspi and xdotool.
import os
import shutil
import subprocess
import sys
import time

app_binary = os.path.abspath(sys.argv[1])
results = []


def plan_skip(reason):
    if os.environ.get('SB_TESTS_NO_SKIP'):
        print(f'1..1\nnot ok 1 - cannot run: {reason}')
        sys.exit(1)
    print(f'1..0 # SKIP {reason}')
    sys.exit(0)


if not os.environ.get('DISPLAY'):
    plan_skip('no X display')
if not shutil.which('xdotool'):
    plan_skip('xdotool is not installed')

# A bus of its own that starts no services: D-Bus cannot start a keyring for
# the app, and nothing started here outlives the test.
if not os.environ.get('SB_E2E_PRIVATE_BUS'):
    env = dict(os.environ, SB_E2E_PRIVATE_BUS='1')
    bus_config = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'session-without-services.conf')
    os.execvpe('dbus-run-session', ['dbus-run-session', f'--config-file={bus_config}', '--',
                                    sys.executable, *sys.argv], env)

atspi_bus = subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

import pyatspi  # noqa: E402  (needs the accessibility bus started above)


def wait_for(predicate, timeout=15.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))
    return ok


def descendants(node):
    # Widgets come and go while we walk (a dialog closing): skip the gone.
    stack = [node]
    while stack:
        current = stack.pop()
        try:
            current.getRoleName()
            children = [child for child in current if child is not None]
        except Exception:
            continue
        yield current
        stack.extend(children)


def find_application():
    for candidate in pyatspi.Registry.getDesktop(0):
        if candidate is not None and candidate.name == 'servicebuero':
            return candidate
    return None


def on_screen(node):
    # GTK 4.8 sets no SHOWING state; a widget that is not drawn has no extents.
    extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    return extents.width > 0 and extents.height > 0


def page_tabs(application, name):
    # The header's view switcher comes in a wide and a narrow form, and a
    # bottom bar has another for narrow windows: only one of them is shown.
    return [n for n in descendants(application)
            if n.getRoleName() == 'page tab' and n.name == name and on_screen(n)]


def selected(node):
    return node.getState().contains(pyatspi.STATE_SELECTED)


def selected_area(application):
    for node in descendants(application):
        if node.getRoleName() == 'page tab' and selected(node):
            return node.name
    return None


import json  # noqa: E402
import tempfile  # noqa: E402
import urllib.request  # noqa: E402

# The app keeps its store under XDG_DATA_HOME: a fresh one, and no keyring
# in this private session, so the app must say that it cannot capture.
data_home = tempfile.TemporaryDirectory()
app_env = dict(os.environ, GTK_A11Y='atspi', LC_ALL='C.UTF-8', LANGUAGE='C', XDG_DATA_HOME=data_home.name)
app_env.pop('NO_AT_BRIDGE', None)
app = subprocess.Popen([app_binary], env=app_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

try:
    application = wait_for(find_application)
    check('the app appears on the accessibility bus', application)
    if not application:
        raise SystemExit

    frame = wait_for(lambda: next((c for c in application if c is not None and c.getRoleName() == 'frame'), None))
    check('its main window is a frame named "Servicebüro"', frame and frame.name == 'Servicebüro',
          frame.name if frame else 'no frame')

    areas = ['Citizens', 'Submissions', 'Scan', 'Outbox']
    found = {name: page_tabs(application, name) for name in areas}
    check('every area has one named tab on screen: ' + ', '.join(areas),
          all(len(v) == 1 for v in found.values()),
          repr({k: len(v) for k, v in found.items()}))
    check('the counter starts on Citizens', selected_area(application) == 'Citizens',
          selected_area(application))

    for name in ['Scan', 'Outbox', 'Submissions', 'Citizens']:
        tab = found[name][0]
        action = tab.queryAction()
        action.doAction(0)
        check(f'clicking the "{name}" tab shows that area',
              wait_for(lambda: selected_area(application) == name, timeout=5),
              selected_area(application))

    indicator = [n for n in descendants(application)
                 if n.getRoleName() == 'push button' and n.name == 'Not Signed In']
    check('the header says that the desk is not signed in', indicator)
    if indicator:
        description = indicator[0].description
        check('the sync indicator describes what that means', 'kept safely on this computer' in description,
              description)
        indicator[0].queryAction().doAction(0)
        check('the sync indicator opens the outbox',
              wait_for(lambda: selected_area(application) == 'Outbox', timeout=5),
              selected_area(application))

    def labelled(role, text):
        for n in descendants(application):
            try:
                if n.getRoleName() == role and text in (n.name or ''):
                    return n
            except Exception:
                continue
        return None

    toast = wait_for(lambda: labelled('label', 'Nothing can be saved at this desk'), timeout=15)
    check('without a keyring the window says that nothing can be saved', toast)
    check('and nothing was stored', not os.path.exists(os.path.join(data_home.name, 'servicebuero', 'store')))
    details = labelled('push button', 'Details')
    check('the message has a Details button', details)
    if details:
        details.queryAction().doAction(0)
        body = wait_for(lambda: labelled('label', 'nothing can be captured'), timeout=5)
        check('Details explain why and what to do next', body and 'ask IT' in body.name,
              body.name if body else 'no explanation shown')
        dialog = next((c for c in application if c is not None and c.name == 'Nothing Can Be Saved'), None)
        check('they are in a dialog named for the problem', dialog)
        close = dialog and next((n for n in descendants(dialog)
                                 if n.getRoleName() == 'push button' and 'Close' in n.name
                                 and on_screen(n)), None)
        if close:
            close.queryAction().doAction(0)
        check('the explanation closes', wait_for(lambda: labelled('label', 'nothing can be captured') is None,
                                                 timeout=5),
              repr([(n.getRoleName(), n.name) for n in descendants(dialog)] if dialog else None))

    banner = wait_for(lambda: labelled('label', 'Demo platform at http://127.0.0.1:'), timeout=15)
    check('with no platform set, a banner says the demo platform runs and that nothing reaches an authority',
          banner and 'nothing you submit reaches an authority' in banner.name, banner.name if banner else None)
    if banner:
        port = banner.name.split('http://127.0.0.1:', 1)[1].split(':', 1)[0]
        try:
            with urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=5) as r:
                health = json.loads(r.read())
        except OSError as e:
            health = {'error': str(e)}
        check('the demo platform answers at that address', health.get('status') == 'ok', health)
        check('it keeps its data under the user data folder',
              os.path.exists(os.path.join(data_home.name, 'servicebuero', 'demo-platform', 'platform.db')))

    menu = [n for n in descendants(application) if n.getRoleName() == 'push button' and n.name == 'Main Menu']
    check('the main menu button has a name', menu)

    unnamed = [n.getRoleName() for n in descendants(application)
               if n.getRoleName() in ('push button', 'toggle button', 'page tab', 'menu item', 'entry')
               and not n.name]
    check('no button, tab or entry is without a name', not unnamed, repr(unnamed))

    window_id = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name', '^Servicebüro$'],
                               capture_output=True, text=True, timeout=15).stdout.split()
    check('the window is on the X display', window_id)
    if window_id:
        subprocess.run(['xdotool', 'windowfocus', '--sync', window_id[0]], check=False, timeout=15)
        for key, name in [('alt+3', 'Scan'), ('alt+2', 'Submissions'), ('alt+4', 'Outbox'), ('alt+1', 'Citizens')]:
            subprocess.run(['xdotool', 'key', '--clearmodifiers', key], check=True, timeout=15)
            check(f'{key.replace("alt", "Alt")} shows {name}',
                  wait_for(lambda: selected_area(application) == name, timeout=5),
                  selected_area(application))

        def frames():
            return [c for c in application if c is not None and c.getRoleName() in ('frame', 'dialog')]

        def window_named(name):
            return next((c for c in frames() if c.name == name), None)

        for key, title in [('ctrl+comma', 'Preferences'), ('ctrl+question', 'Keyboard Shortcuts')]:
            subprocess.run(['xdotool', 'key', '--clearmodifiers', key], check=True, timeout=15)
            opened = wait_for(lambda: window_named(title), timeout=5)
            check(f'{key.replace("ctrl", "Ctrl")} opens the {title} window', opened,
                  repr([f.name for f in frames()]))
            if opened:
                subprocess.run(['xdotool', 'key', '--clearmodifiers', 'Escape'], check=True, timeout=15)
                check(f'Escape closes the {title} window',
                      wait_for(lambda: window_named(title) is None, timeout=5),
                      repr([f.name for f in frames()]))

        subprocess.run(['xdotool', 'key', '--clearmodifiers', 'ctrl+q'], check=True, timeout=15)
        try:
            code = app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        check('Ctrl+Q quits the app cleanly', code == 0, f'exit code {code}')
        if banner:
            try:
                urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=2)
                stopped = False
            except OSError:
                stopped = True
            check('and stops the demo platform with it', stopped)
finally:
    if app.poll() is None:
        app.kill()
    _, stderr = app.communicate(timeout=10)
    atspi_bus.terminate()

criticals = [line for line in stderr.splitlines() if 'CRITICAL' in line or 'WARNING' in line]
check('the app logged no warnings or criticals', not criticals, '\n'.join(criticals[:20]))

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok and detail:
        for line in str(detail).splitlines():
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
