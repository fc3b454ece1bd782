#!/usr/bin/python3
# End to end, with a keyring (run through tests/keyring-session): the real
# binary creates its encrypted store in the background and, the store being
# fine, has nothing to warn the clerk about.
import os
import subprocess
import sys
import tempfile
import time

from e2e_common import check, descendants, report, require_display, results, start_atspi_bus, wait_for

app_binary = os.path.abspath(sys.argv[1])
sync_helper = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None

require_display()
atspi_bus = start_atspi_bus()

import pyatspi  # noqa: E402


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
# Captured earlier at this desk, offline: three applications, the first
# with a form the platform refuses.
queued = []
if sync_helper:
    made = subprocess.run([sync_helper, 'queue', os.path.join(data_home.name, 'servicebuero', 'store'), '3', '4000', 'bad'],
                          capture_output=True, text=True, env=env, timeout=120)
    queued = [line.split()[0] for line in made.stdout.splitlines()]
    check('three applications wait in the outbox', made.returncode == 0 and len(queued) == 3, made.stderr)

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

    def named(role, text):
        for node in descendants(application):
            try:
                if node.getRoleName() == role and text in (node.name or ''):
                    return node
            except Exception:
                continue
        return None

    if queued:
        indicator = wait_for(lambda: named('push button', 'Needs Attention'), timeout=30)
        check('on the demo platform the desk signs in by itself and sends; the header then says one item needs attention',
              indicator and '1 waiting' in indicator.name, indicator.name if indicator else None)
        if indicator:
            indicator.queryAction().doAction(0)
        again = wait_for(lambda: named('push button', 'Send Again'), timeout=10)
        reason = named('label', '/form/circumstances')
        check('the outbox shows the refused application with the platform\'s reason and "Send Again"',
              again is not None and reason is not None, [n.name for n in descendants(application)
                                                         if n.getRoleName() == 'label'][:20])
finally:
    app.terminate()
    _, stderr = app.communicate(timeout=10)

# The same person again, captured later at this desk: the platform may have
# their account already. The clerk checks and links it in the Outbox.
if sync_helper:
    store_dir = os.path.join(data_home.name, 'servicebuero', 'store')
    again_made = subprocess.run([sync_helper, 'queue', store_dir, '1', '4000'], capture_output=True, text=True,
                                env=env, timeout=120)
    again_id = again_made.stdout.split()[0] if again_made.returncode == 0 else None
    app = subprocess.Popen([app_binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        application = wait_for(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                                             if a is not None and a.name == 'servicebuero'), None))
        indicator = wait_for(lambda: application and named('push button', '3 waiting'), timeout=30)
        if indicator:
            indicator.queryAction().doAction(0)
        check_button = wait_for(lambda: named('push button', 'Check'), timeout=10)
        check('a possible duplicate waits in the outbox with "Check…"', check_button is not None,
              indicator.name if indicator else None)

        def dialog_button():
            # Objects come and go while the tree is read (the window builds
            # its pages): one gone since is skipped, not an error.
            for frame in application:
                for n in descendants(frame):
                    try:
                        if n.getRoleName() == 'push button' and (n.name or '').startswith('It Is Olena'):
                            return n
                    except Exception:
                        continue
            return None

        same = None
        for _ in range(3):   # the first sync round may still be finishing
            button = named('push button', 'Check')
            if button:
                button.queryAction().doAction(0)
            same = wait_for(dialog_button, timeout=5)
            if same:
                break
        check('the dialog offers the platform\'s account by name and date of birth', same is not None,
              [(f.getRoleName(), f.name, [n.name for n in descendants(f) if n.getRoleName() == 'push button'][:8])
               for f in application])
        if same:
            same.queryAction().doAction(0)
        done = wait_for(lambda: named('push button', '1 waiting'), timeout=30)
        check('linked, the account and its application go; only the refused form still waits', done is not None)
    finally:
        app.terminate()
        _, more_stderr = app.communicate(timeout=10)
        stderr += more_stderr
    states = subprocess.run([sync_helper, 'states', store_dir], capture_output=True, text=True, env=env, timeout=60)
    check('the store says so: the new application was delivered',
          again_id is not None and any(line.startswith('2 submission.submit ' + again_id) for line in states.stdout.splitlines()),
          states.stdout)
atspi_bus.terminate()

criticals = [line for line in stderr.splitlines() if 'CRITICAL' in line or 'WARNING' in line]
check('the app logged no warnings or criticals', not criticals, '\n'.join(criticals[:20]))

report(results)
