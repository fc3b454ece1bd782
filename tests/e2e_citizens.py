#!/usr/bin/python3
# End to end, with the keyboard alone and read through the accessibility
# tree (run through tests/keyring-session under a display), on the app's
# embedded demo platform: a clerk searches, adds a citizen with typing
# mistakes the form catches, reads the passport's machine-readable zone
# from a scan, confirms the identity, records consent, saves; the account
# reaches the platform; the activation letter is printed to a file whose
# code really activates the account; the citizen is found again; a person
# the platform knows already is caught as a duplicate and linked.
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

from e2e_common import (check, descendants, find, key, report, require_display, results,
                        role_and_name, sane_test_device, screenshot, showing, start_atspi_bus, wait_for)
from e2e_common import type_text as type_keys

app_binary, specimen_tool, scan_helper = (os.path.abspath(a) for a in sys.argv[1:4])
shots = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'platform'))
from platform_fixture import Client, OpenApi, sign_in  # noqa: E402

require_display()
atspi_bus = start_atspi_bus()

import pyatspi  # noqa: E402


def type_text(text):
    type_keys(text, delay=20)


def tab(times):
    for _ in range(times):
        key('Tab', pause=0.15)


def named(role, text, exact=False, visible=True):
    return find(application, role, text, exact, visible)


def label_with(text):
    return named('label', text)


def labels():
    return [n for r, n in (role_and_name(x) for x in descendants(application) if showing(x)) if r == 'label']


def shot(name):
    screenshot(shots, name)


data_home = tempfile.TemporaryDirectory()
home = data_home.name
# SANE's test device, as the desk's scanner: it scans a grid, not a passport.
sane = sane_test_device(home)
env = dict(os.environ, GTK_A11Y='atspi', LC_ALL='C.UTF-8', LANGUAGE='C',
           XDG_DATA_HOME=os.path.join(home, 'data'), XDG_CACHE_HOME=os.path.join(home, 'cache'),
           G_MESSAGES_DEBUG='Servicebuero', SANE_CONFIG_DIR=sane, SB_SCAN_HELPER=scan_helper)
env.pop('NO_AT_BRIDGE', None)

passport = os.path.join(home, 'passport.png')
zone = subprocess.run([specimen_tool, passport, 'TD3', '4711', '1.5'], capture_output=True, text=True,
                      check=True).stdout.split()
family_in_zone = zone[0][5:].split('<<')[0].title()
number_in_zone = zone[1][:9]

# The app's messages go to a file: a pipe nobody reads would stop it once full.
app_log = open(os.path.join(home, 'app.log'), 'w+')
app = subprocess.Popen([app_binary], env=env, cwd=home, stdout=app_log, stderr=subprocess.STDOUT, text=True)
application = wait_for(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                                     if a is not None and a.name == 'servicebuero'), None), timeout=30)
stderr = ''
try:
    check('the window is on the accessibility bus', application)
    if not application:
        raise RuntimeError('the app did not appear on the accessibility bus')
    signed_in = wait_for(lambda: named('push button', 'Up to Date'), timeout=40)
    check('the desk signs in to its embedded demo platform by itself', signed_in)
    banner = wait_for(lambda: label_with('Demo platform at http://'), timeout=5)
    platform_url = re.search(r'http://[0-9.]+:[0-9]+', role_and_name(banner)[1]).group(0) if banner else None

    # The Scan area finds the desk's scanner; Alt+1 comes back to the search.
    key('alt+3', pause=1)
    check('the Scan area finds the test scanner',
          wait_for(lambda: named('label', 'Noname frontend-tester'), timeout=30))
    key('alt+1', pause=1)

    # Searching someone not there yet: the status says what to do next.
    type_text('Eriksson')
    nobody = wait_for(lambda: label_with('No one found'), timeout=10)
    check('typing searches at once; nobody found says to press Ctrl+N', nobody and 'Ctrl+N' in role_and_name(nobody)[1])

    key('ctrl+n', pause=1)
    heading = wait_for(lambda: named('label', 'New Citizen', exact=True), timeout=5)
    check('Ctrl+N opens a new citizen, the name searched for already in it', heading)
    unnamed = [r for r, n in (role_and_name(x) for x in descendants(application) if showing(x))
               if r in ('push button', 'toggle button', 'combo box', 'check box', 'text', 'entry') and not n.strip()]
    check('every control of the citizen form has a name', not unnamed, repr(unnamed))

    # The keyboard is in Family name (filled from the search). Given names; then a wrong date.
    tab(1)
    type_text('Anna Maria')
    tab(3)
    type_text('31.02.1974')
    key('ctrl+s', pause=1)
    wrong_date = wait_for(lambda: label_with('Birth date (DD.MM.YYYY, MM.YYYY or YYYY): Type the birth date'), timeout=5)
    check('an impossible birth date blocks saving and says how to type it', wrong_date)
    key('ctrl+a')
    type_text('12.08.1974')
    check('corrected, its message goes', wait_for(lambda: label_with('Type the birth date') is None, timeout=5))

    # Ctrl+Return scans with the desk's scanner; a page with no zone is said so, in words.
    key('ctrl+Return', pause=1)
    no_zone = wait_for(lambda: label_with('scan that side') or label_with('scan the document again')
                       or label_with('Scan the document again'), timeout=90)
    check('Ctrl+Return scans with the desk\'s scanner; a page without a zone says what to do', no_zone,
          [l for l in labels() if 'can' in l or 'zone' in l])

    # The passport's zone, from a scanned image file (Ctrl+O, the file dialog, its location field).
    key('ctrl+o', pause=1.5)
    key('ctrl+l', pause=0.5)
    type_text(passport)
    key('Return', pause=1)
    status = wait_for(lambda: label_with('Read from the machine-readable zone'), timeout=30)
    shot('e2e-citizens-mrz.png')
    check('the passport scan is read: every check digit passed',
          status and 'all 5 check digits passed' in role_and_name(status)[1], labels()[-12:])
    differs = label_with('Differs from what was typed')
    check('what differs from the typed names is marked and named with the document\'s spelling',
          differs and family_in_zone in role_and_name(differs)[1], role_and_name(differs)[1] if differs else None)
    confirm = wait_for(lambda: named('push button', 'Confirm Identity'), timeout=5)
    check('the document number came from the zone: identity can be confirmed',
          confirm is not None and confirm.getState().contains(pyatspi.STATE_SENSITIVE))
    key('alt+o', pause=0.5)
    confirmed = wait_for(lambda: label_with(f'Confirmed with document {number_in_zone} (machine-readable zone'),
                         timeout=5)
    check('Alt+O confirms the identity with the zone, by whom and when', confirmed)

    # Address and contact, reached by their mnemonics.
    key('alt+p')
    type_text('9040')
    postal = wait_for(lambda: label_with('Postal code: A German postal code has five digits'), timeout=5)
    check('a four-digit postal code is caught as it is typed', postal)
    type_text('3')
    check('five digits are fine', wait_for(lambda: label_with('German postal code') is None, timeout=5))
    key('alt+e')
    type_text('anna@example')
    email = wait_for(lambda: label_with('E-mail: “example” is not a full domain'), timeout=5)
    check('an e-mail address without a domain is caught, saying what is missing', email)
    type_text('.de')
    # Phone, language, the consent form's button, the consent row, its switch.
    tab(5)
    key('space')
    switch = named('check box', 'Agrees to data processing')
    check('Tab and Space switch on the consent to data processing',
          switch is not None and switch.getState().contains(pyatspi.STATE_CHECKED))
    shot('e2e-citizens-form.png')

    key('ctrl+s', pause=1)
    saved = wait_for(lambda: named('label', 'Anna Maria Eriksson', exact=True), timeout=10)
    check('Ctrl+S saves: the form is now the citizen', saved)
    created = wait_for(lambda: label_with('Created on the platform. The activation code'), timeout=60)
    check('the account reaches the demo platform and its activation code is kept for the letter', created)
    shot('e2e-citizens-saved.png')

    # The letter, printed to a file through GTK's print dialog.
    key('ctrl+p', pause=2)
    dialog = wait_for(lambda: named('push button', 'Preview'), timeout=15)
    check('Ctrl+P opens the print dialog', dialog)
    # Tab to the printer list, Down chooses Print to File (the only printer here), Alt+P prints.
    key('Tab', pause=0.5)
    key('Down', pause=1)
    shot('e2e-citizens-print.png')
    key('alt+p', pause=1)
    letter = wait_for(lambda: next((os.path.join(d, f) for d, _, fs in os.walk(home) for f in fs
                                    if f == 'output.pdf' and os.path.getsize(os.path.join(d, f)) > 1000), None),
                      timeout=30)
    text = subprocess.run(['pdftotext', '-layout', letter, '-'], capture_output=True, text=True).stdout if letter else ''
    code = re.search(r'\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b', text)
    check('the activation letter is printed: the citizen\'s name, the German text, the code',
          'Anna Maria Eriksson' in text and 'Ihr Online-Konto' in text and code, text[:300])
    if code and platform_url:
        parsed = urllib.parse.urlparse(platform_url)
        platform = type('Platform', (), {'host': parsed.hostname, 'port': parsed.port, 'url': platform_url})()
        anonymous = Client(platform, OpenApi(), None)
        status_code, _, _, _ = anonymous.request('POST', '/v1/activation',
                                                 body={'code': code.group(0), 'password': 'lange-geheim-42'}, check=False)
        check('the printed code is the platform\'s: the citizen sets a password with it', status_code == 204,
              status_code)

        # A lost letter: a new code from the platform, printed again.
        renew = named('push button', 'New Code')
        if renew is not None:
            renew.queryAction().doAction(0)
        renewed = wait_for(lambda: label_with('New activation code'), timeout=20)
        check('"New Code" gets a new activation code from the platform and says to print it', renewed)
        os.unlink(letter)  # or GTK asks whether to replace it
        key('ctrl+p', pause=2)
        wait_for(lambda: named('push button', 'Preview'), timeout=15)
        key('Tab', pause=0.5)
        key('Down', pause=1)
        key('alt+p', pause=1)
        wait_for(lambda: os.path.exists(letter) and os.path.getsize(letter) > 1000, timeout=30)
        again = subprocess.run(['pdftotext', '-layout', letter, '-'], capture_output=True, text=True).stdout
        new_code = re.search(r'\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b', again)
        status_code = None
        if new_code:
            status_code, _, _, _ = anonymous.request('POST', '/v1/activation', body={
                'code': new_code.group(0), 'password': 'noch-geheimer-43'}, check=False)
        check('the reprinted letter carries the new code, and it works',
              new_code and new_code.group(0) != code.group(0) and status_code == 204,
              (code.group(0), new_code.group(0) if new_code else None, status_code))

        # Someone the platform knows already (another desk made the account).
        staff = Client(platform, OpenApi(), sign_in(anonymous, 'demo', 'demo')['access_token'])
        other = '5d8a4a0e-51a8-4a39-9a57-2f3c2f9a1c11'
        put, _, answer, _ = staff.request('PUT', f'/v1/accounts/{other}', body={
            'givenNames': 'Olena', 'familyName': 'Kovalenko', 'birthDate': '1990-05-17'}, check=False)
        check('another desk gives Olena Kovalenko an account on the platform', put == 201, (put, answer))
    else:
        other = None

    # Back to the search: found at once, this desk's citizen.
    key('alt+Left', pause=1)
    key('ctrl+f')
    type_text('eriks')
    row = wait_for(lambda: named('list item', 'Anna Maria Eriksson'), timeout=10)
    check('Alt+← goes back to the search; the citizen is found by a part of the name', row)
    key('Return', pause=1)
    check('Enter opens the first found', wait_for(lambda: named('label', 'Anna Maria Eriksson', exact=True), timeout=5))
    key('alt+Left', pause=1)

    # A duplicate: searched, the platform's account is offered; a new entry of the same person is caught.
    key('ctrl+f')
    type_text('Kovalenko')
    on_platform = wait_for(lambda: named('list item', 'Olena Kovalenko'), timeout=15)
    check('the platform\'s accounts are found too, marked as on the platform',
          on_platform and label_with('on the platform'), labels()[-6:])
    key('ctrl+n', pause=1)
    tab(1)
    type_text('Olena')
    tab(3)
    type_text('17.05.1990')
    key('ctrl+s', pause=1)
    question = wait_for(lambda: named('label', 'An Account May Exist Already'), timeout=20)
    shot('e2e-citizens-duplicate.png')
    check('saving the same person again: the platform\'s account is offered before a second one is made', question)
    same = wait_for(lambda: named('push button', 'It Is Olena Kovalenko'), timeout=5)
    if same:
        same.queryAction().doAction(0)
    linked = wait_for(lambda: label_with('The platform’s existing account'), timeout=15)
    check('"It is …" links the platform\'s account: no second account', linked)

    # The same name and birth date, but the citizen says it is someone else: a second account.
    key('alt+Left', pause=1)
    key('ctrl+n', pause=1)
    type_text('Kovalenko')
    tab(1)
    type_text('Olena')
    tab(3)
    type_text('17.05.1990')
    key('ctrl+s', pause=1)
    asked = wait_for(lambda: named('label', 'An Account May Exist Already'), timeout=20)
    another = wait_for(lambda: named('push button', 'Another Person'), timeout=5)
    if another:
        another.queryAction().doAction(0)
    second = wait_for(lambda: label_with('Created on the platform. The activation code'), timeout=60)
    check('"Another person" sends the account saying which candidate it is not; the platform creates it',
          asked and second, labels()[-6:])
except Exception:  # a step that could not even be tried fails the test, saying where
    import traceback
    check('the walk through the Citizens area ran to its end', False, traceback.format_exc())
finally:
    app.terminate()
    try:
        app.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()
    app_log.seek(0)
    stderr = app_log.read()
    app_log.close()
    if not application:
        print(stderr[-2000:], file=sys.stderr)
    atspi_bus.terminate()

times = [float(t) for t in re.findall(r'Local search: \d+ found in ([0-9.]+) ms', stderr)]
if times:
    print(f'# local search, keystroke to rows: median {sorted(times)[len(times) // 2]:.1f} ms, '
          f'slowest {max(times):.1f} ms over {len(times)} searches')
problems = [line for line in stderr.splitlines() if 'CRITICAL' in line or 'WARNING' in line]
check('no GTK criticals or warnings on the way', not problems, '\n'.join(problems[:10]))
report(results)
