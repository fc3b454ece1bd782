#!/usr/bin/python3
# End to end, with a keyring (run through tests/keyring-session): the real
# binary creates its encrypted store in the background and, the store being
# fine, has nothing to warn the clerk about.
import os
import subprocess
import sys
import tempfile
import time

app_binary = os.path.abspath(sys.argv[1])
results = []

if not os.environ.get('DISPLAY'):
    if os.environ.get('SB_TESTS_NO_SKIP'):
        print('1..1\nnot ok 1 - cannot run: no X display')
        sys.exit(1)
    print('1..0 # SKIP no X display')
    sys.exit(0)

atspi_bus = subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

import pyatspi  # noqa: E402


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return None


def labels(node):
    stack = [node]
    while stack:
        current = stack.pop()
        try:
            if current.getRoleName() == 'label':
                yield current.name or ''
            stack.extend(child for child in current if child is not None)
        except Exception:
            continue


data_home = tempfile.TemporaryDirectory()
env = dict(os.environ, GTK_A11Y='atspi', LC_ALL='C.UTF-8', LANGUAGE='C', XDG_DATA_HOME=data_home.name)
env.pop('NO_AT_BRIDGE', None)
app = subprocess.Popen([app_binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    store_db = os.path.join(data_home.name, 'servicebuero', 'store', 'store.db')
    check('the app creates its encrypted store', wait_for(lambda: os.path.exists(store_db), timeout=20))
    application = wait_for(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                                         if a is not None and a.name == 'servicebuero'), None))
    check('its window is on the accessibility bus', application)
    time.sleep(1.5)
    warnings = [text for text in labels(application) if 'Nothing can be saved' in text] if application else []
    check('with a sound store the window warns of nothing', application and not warnings, repr(warnings))
    check('the store was migrated to its schema',
          os.path.exists(store_db) and b'CREATE TABLE citizens' in open(store_db, 'rb').read())
finally:
    app.terminate()
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
