#!/usr/bin/python3
# End to end, through the keyboard and the accessibility tree (run through
# tests/keyring-session under a display): the clerk opens the Scan area,
# scans a feeder batch from SANE's test device with Enter alone, deletes a
# page and takes it back, and finds the pages again after a restart.
import os
import subprocess
import sys
import tempfile
import time

from e2e_common import (check, descendants, key, report, require_display, results,
                        role_and_name, sane_test_device, showing, start_atspi_bus, wait_for)

app_binary = os.path.abspath(sys.argv[1])
helper = os.path.abspath(sys.argv[2])
shots = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None

require_display()
atspi_bus = start_atspi_bus()

import pyatspi  # noqa: E402


data_home = tempfile.TemporaryDirectory()
sane = sane_test_device(data_home.name)

env = dict(os.environ, GTK_A11Y='atspi', LC_ALL='C.UTF-8', LANGUAGE='C', XDG_DATA_HOME=data_home.name,
           XDG_CACHE_HOME=os.path.join(data_home.name, 'cache'), SANE_CONFIG_DIR=sane, SB_SCAN_HELPER=helper)
env.pop('NO_AT_BRIDGE', None)


def start():
    process = subprocess.Popen([app_binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    application = wait_for(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                                         if a is not None and a.name == 'servicebuero'), None), timeout=30)
    return process, application


def named(application, role, text, exact=False):
    for node in descendants(application):
        try:
            if node.getRoleName() == role and (node.name == text if exact else text in (node.name or '')):
                return node
        except Exception:
            continue
    return None


def focused(application):
    for node in descendants(application):
        try:
            if node.getState().contains(pyatspi.STATE_FOCUSED):
                return node
        except Exception:
            continue
    return None


def page_count(application):
    label = named(application, 'label', ' page')
    return role_and_name(label)[1] if label else None


stderr = ''
app, application = start()
try:
    check('the window is on the accessibility bus', application)
    time.sleep(1.5)
    key('alt+3')
    # (GTK 4.8 names a button with a mnemonic twice: "Sc_an Scan".)
    scan = wait_for(lambda: next((n for n in descendants(application) if role_and_name(n)[0] == 'push button'
                                  and role_and_name(n)[1].endswith('Scan')), None))
    check('Alt+3 opens the Scan area with its Scan button', scan is not None)
    now = wait_for(lambda: focused(application), timeout=5)
    check('the keyboard is on Scan when the area opens', now is not None and role_and_name(now)[1].endswith('Scan'),
          role_and_name(now)[1] if now else None)
    scanner = wait_for(lambda: named(application, 'label', 'Noname frontend-tester'), timeout=20)
    check('the test scanner is found and offered by its name', scanner is not None)

    unnamed = [role for role, name in (role_and_name(n) for n in descendants(application) if showing(n))
               if role in ('push button', 'toggle button', 'combo box') and not name.strip()]
    check('every button on the Scan area has a name', not unnamed, repr(unnamed))

    key('Return')
    done = wait_for(lambda: named(application, 'label', '10 pages scanned'), timeout=90)
    check('Enter scans the feeder batch: ten pages, each in the grid', done is not None
          and named(application, 'label', '10 pages', exact=True) is not None, page_count(application))

    def tiles():
        return [name for _, name in (role_and_name(n) for n in descendants(application)) if name.startswith('Page ')]

    def first_and_last_named():
        names = tiles()
        return 'Page 1' in names and 'Page 10' in names

    # A page is "Page 10, being saved" until the store has it: then "Page 10".
    named_tiles = wait_for(first_and_last_named, timeout=20)
    check('every page in the grid is named for screen readers ("Page 1" … "Page 10")', named_tiles, repr(tiles()))
    if shots:
        subprocess.run(['import', '-window', 'root', os.path.join(shots, 'e2e-scan-pages.png')], check=False)

    # Tab from the Scan button to the grid, then work on the first page.
    for _ in range(8):
        node = focused(application)
        if node is not None and role_and_name(node)[1].startswith('Page '):
            break
        key('Tab')
    node = focused(application)
    check('Tab reaches the pages', node is not None and role_and_name(node)[1].startswith('Page '),
          role_and_name(node)[1] if node else None)
    key('r')
    key('Delete')
    nine = wait_for(lambda: named(application, 'label', '9 pages', exact=True), timeout=5)
    check('Delete takes the chosen page out', nine is not None, page_count(application))
    key('ctrl+z')
    ten = wait_for(lambda: named(application, 'label', '10 pages', exact=True), timeout=5)
    check('Ctrl+Z brings it back', ten is not None, page_count(application))
    key('alt+Right')
    time.sleep(1.5)
finally:
    app.terminate()
    stderr += app.communicate(timeout=10)[1]

# The pages were kept as they were scanned: a restart (or a crash) loses none.
app, application = start()
try:
    key('alt+3')
    again = wait_for(lambda: named(application, 'label', '10 pages', exact=True), timeout=20)
    check('after a restart the ten pages are there again', again is not None, page_count(application))
finally:
    app.terminate()
    stderr += app.communicate(timeout=10)[1]
atspi_bus.terminate()

criticals = [line for line in stderr.splitlines() if 'CRITICAL' in line or 'WARNING' in line]
check('the app logged no warnings or criticals', not criticals, '\n'.join(criticals[:20]))

report(results)
