#!/usr/bin/python3
# End to end, keyboard first and read through the accessibility tree (run
# through tests/keyring-session under a display): a clerk files an
# application for a citizen while the platform cannot be reached — the
# service from the catalogue, its form (a wrong value caught, a conditional
# field shown), two documents scanned on SANE's test device, who applies,
# the review, the citizen's consent — submits it and prints the receipt.
# Then the platform comes back: the application is delivered exactly once;
# a caseworker asks a question with the platform's command line; it is
# answered at the counter; the decision arrives and opens. "Next Citizen"
# leaves nothing of the citizen on screen.
#
# With --every-service (a test of its own, to keep each under its time
# limit): for the same kind of citizen, every other demo service's form is
# filled from the keyboard, going where Ctrl+Return leads, its faults shown,
# and submitted; the platform's own validation accepts each.
import base64
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

from e2e_common import (check, descendants, find, has_state, key, report, require_display, results,
                        role_and_name, sane_test_device, screenshot, start_atspi_bus, wait_for)
from e2e_common import type_text as type_keys

arguments = sys.argv[1:]
every_demo_service = '--every-service' in arguments  # the second part: every other demo service's form
if every_demo_service:
    arguments.remove('--every-service')
app_binary, platform_binary, scan_helper, switch_wrapper, catalogue_path = (os.path.abspath(a) for a in arguments[:5])
shots = os.path.abspath(arguments[5]) if len(arguments) > 5 else None

require_display()
atspi_bus = start_atspi_bus()

import pyatspi  # noqa: E402

counts = {'keys': 0, 'clicks': 0}


def press(*keys, pause=0.3):
    counts['keys'] += len(keys)
    key(*keys, pause=pause)


def type_text(text):
    counts['keys'] += len(text)
    type_keys(text)


def named(role, text, exact=False, visible=True):
    return find(application, role, text, exact, visible)


def on_screen():
    '''The window without its hidden widgets (see descendants()).'''
    return descendants(application, visible_only=True)


def label_with(text):
    return named('label', text)


def click(node):
    if node is None:
        return False
    counts['clicks'] += 1
    node.queryAction().doAction(0)
    time.sleep(0.4)
    return True


def focus(node):
    counts['clicks'] += 1
    node.queryComponent().grabFocus()
    time.sleep(0.2)


def shot(name):
    screenshot(shots, name)


def unnamed_controls():
    '''Controls the screen reader could not name: buttons, switches, choices, lists.'''
    return [r for r, n in (role_and_name(x) for x in on_screen())
            if r in ('push button', 'toggle button', 'combo box', 'check box', 'text', 'entry', 'list') and not n.strip()]


data_home = tempfile.TemporaryDirectory()
home = data_home.name
sane = sane_test_device(home, 'Color pattern')
switch = os.path.join(home, 'network-down')
url_file = os.path.join(home, 'platform-url')
env = dict(os.environ, GTK_A11Y='atspi', LC_ALL='C.UTF-8', LANGUAGE='C',
           XDG_DATA_HOME=os.path.join(home, 'data'), XDG_CACHE_HOME=os.path.join(home, 'cache'),
           G_MESSAGES_DEBUG='Servicebuero', SANE_CONFIG_DIR=sane, SB_SCAN_HELPER=scan_helper,
           SB_PLATFORM_BINARY=switch_wrapper, SB_REAL_PLATFORM=platform_binary, SB_PLATFORM_SWITCH=switch,
           SB_PLATFORM_URL_FILE=url_file)
env.pop('NO_AT_BRIDGE', None)
platform_data = os.path.join(home, 'data', 'servicebuero', 'demo-platform')

with open(catalogue_path) as f:
    catalogue = json.load(f)


def caseworker(*args):
    return subprocess.run([platform_binary, '--data-dir', platform_data, 'caseworker', *args],
                          capture_output=True, text=True, timeout=60)


def platform_rows(sql, *params):
    db = sqlite3.connect(f'file:{os.path.join(platform_data, "platform.db")}?mode=ro', uri=True, timeout=10)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


app_log = open(os.path.join(home, 'app.log'), 'w+')
app = subprocess.Popen([app_binary], env=env, cwd=home, stdout=app_log, stderr=subprocess.STDOUT, text=True)
application = wait_for(lambda: next((a for a in pyatspi.Registry.getDesktop(0)
                                     if a is not None and a.name == 'servicebuero'), None), timeout=30)

def visit():
    '''The counter visit, offline, then the platform's side: delivery, a question answered, the decision.'''
    bench_counts = dict(counts)
    # Ctrl+Shift+A (New Application): the catalogue, searchable, grouped by authority.
    press('ctrl+shift+a', pause=1.5)
    status = wait_for(lambda: label_with('8 of 8 services'), timeout=10)
    check('Ctrl+Shift+A opens the catalogue from the store, offline: 8 services', status)
    check('the services are grouped by authority',
          named('label', 'City of Nuremberg – Immigration office') and named('label', "City of Nuremberg – Citizens' office"))
    shot('e2e-submissions-catalogue.png')
    check('every control of the catalogue has a name', not unnamed_controls(), repr(unnamed_controls()))
    type_text('fiktion')
    check('typing narrows the list (German title)', wait_for(lambda: label_with('1 of 8 service'), timeout=5))
    press('ctrl+a')
    type_text('residence permit')
    check('…and in English', wait_for(lambda: label_with('of 8 service'), timeout=5) and
          named('label', 'Extend a residence permit'))
    press('ctrl+a')
    type_text('fiktion')
    press('Return', pause=1.5)
    heading = wait_for(lambda: named('label', 'Fictional certificate', exact=False), timeout=10)
    check('Enter opens the first service\'s form', heading)
    shot('e2e-submissions-form.png')

    visit_started = time.monotonic()
    counts.update(keys=0, clicks=0)
    # Faults before filling: Ctrl+Return shows what to do, field by field.
    press('ctrl+Return', pause=1)
    fault = wait_for(lambda: label_with('Reason: choose one of the options.'), timeout=5)
    check('Ctrl+Return on an empty form: the required choice is named, with what to do', fault)
    shot('e2e-submissions-faults.png')

    # The choice from the keyboard: Space opens it, Down, Enter.
    press('space', pause=0.6)
    press('Down', pause=0.3)
    press('Return', pause=0.6)
    check('choosing the reason clears its message', wait_for(lambda: label_with('Reason: choose') is None, timeout=5))
    # Travel planned: a field appears that only then is asked for.
    check('"Destination and dates" is not asked while no travel is planned',
          named('text', 'Destination and dates') is None and label_with('Destination and dates') is None)
    press('Tab', pause=0.3)
    press('space', pause=0.8)
    check('switching "Travel abroad planned" on shows "Destination and dates"',
          wait_for(lambda: label_with('Destination and dates'), timeout=5))
    press('Down', pause=0.3)  # rows of a list: the arrow keys go from one to the next
    type_text('Kyiv, 01.03.-15.03.2027')

    # Two documents scanned on the test scanner: the passport (PDF) and the photo (JPEG, as the service takes it).
    click(named('push button', 'Scan Passport or travel document from the glass'))
    check('the passport is scanned into the application as a PDF',
          wait_for(lambda: named('label', 'PDF — Enter to look at it'), timeout=60))
    click(named('push button', 'Scan Biometric photo from the glass'))
    check('the photo is scanned and kept as a photo file, as the service takes it',
          wait_for(lambda: named('label', 'Photo — Enter to look at it'), timeout=60))
    if os.environ.get('SB_BENCH_COUNTER'):
        click(named('push button', 'Scan Confirmation of the pending application from the glass'))
        wait_for(lambda: named('push button', 'Look at Confirmation of the pending application'), timeout=60)
    shot('e2e-submissions-documents.png')
    if not os.environ.get('SB_BENCH_COUNTER'):  # a walk of the whole tree is no part of a visit's time
        check('every control of the form and its document checklist has a name', not unnamed_controls(),
              repr(unnamed_controls()))

    # Looking at the passport: the PDF view opens; Escape closes it.
    look = named('push button', 'Look at Passport or travel document')
    check('each document is a row of its own with a button to look at it', look)
    if look is not None:
        click(look)
    time.sleep(1.5)
    viewer = wait_for(lambda: next((w for w in application if w is not None and
                                    role_and_name(w)[1] == 'Passport or travel document'), None), timeout=10)
    check('a document opens in the PDF view for a look', viewer)
    press('Escape', pause=0.8)
    wait_for(lambda: next((w for w in application if w is not None and
                           role_and_name(w)[1] == 'Passport or travel document'), None) is None, timeout=10)

    # Review: what was typed, read back; the citizen's consent; submit.
    press('ctrl+Return', pause=1.5)
    check('Ctrl+Return: the review reads the form back, with the chosen option\'s label',
          wait_for(lambda: named('label', 'Extension applied for'), timeout=5) and named('label', 'Kyiv, 01.03.-15.03.2027'))
    check('Submit waits for the consent', not has_state(named('push button', 'Submit and Print Receipt') or application,
                                                         pyatspi.STATE_SENSITIVE))
    shot('e2e-submissions-review.png')
    press('space', pause=0.5)
    press('ctrl+Return', pause=2)
    dialog = wait_for(lambda: named('push button', 'Preview'), timeout=20)
    check('submitting (offline) queues it and opens the print dialog for the receipt', dialog)
    press('Tab', pause=0.5)
    press('Down', pause=1)
    press('alt+p', pause=1)
    receipt = wait_for(lambda: next((os.path.join(d, f) for d, _, fs in os.walk(home) for f in fs
                                     if f == 'output.pdf' and os.path.getsize(os.path.join(d, f)) > 1000), None),
                       timeout=30)
    receipt_text = subprocess.run(['pdftotext', '-layout', receipt, '-'], capture_output=True,
                                  text=True).stdout if receipt else ''
    digests = re.findall(r'SHA-256 ([0-9a-f]{32})\s+([0-9a-f]{32})', receipt_text)
    check('the receipt is printed: Eingangsbestätigung, the service, every document with its SHA-256',
          'Eingangsbestätigung' in receipt_text and 'Fiktionsbescheinigung' in receipt_text and
          len(digests) == (3 if os.environ.get('SB_BENCH_COUNTER') else 2),
          receipt_text[:600])
    if os.environ.get('SB_BENCH_COUNTER'):
        # bench/counter: from the catalogue to the printed receipt, with two documents scanned and one optional third.
        print(f'counter visit: {time.monotonic() - bench_started:.1f} s wall, form to receipt '
              f'{time.monotonic() - visit_started:.1f} s; {counts["keys"]} keystrokes, {counts["clicks"]} clicks '
              f'(whole visit: {bench_counts["keys"] + counts["keys"]} keystrokes, '
              f'{bench_counts["clicks"] + counts["clicks"]} clicks)', flush=True)
        raise SystemExit(0 if all(ok for _, ok, _ in results) else 1)
    check('the application waits in the outbox while the platform cannot be reached',
          wait_for(lambda: label_with('waiting to be sent'), timeout=10))
    shot('e2e-submissions-queued.png')

    # The network comes back: the account, then the application, exactly once.
    os.unlink(switch)
    # "Sync now", once: what waits out a backoff after the failed tries goes at once.
    press('F5', pause=1)
    delivered = wait_for(lambda: platform_rows('SELECT id, reference FROM submissions') or None, timeout=60)
    check('back online, one F5 and the application reaches the platform', delivered)
    if not delivered:
        ctl = os.path.join(os.path.dirname(app_binary), 'ctl', 'servicebuero-ctl')
        listed = subprocess.run([ctl, 'outbox', 'list', '--all', '--store',
                                 os.path.join(home, 'data', 'servicebuero', 'store')],
                                capture_output=True, text=True, env=env)
        app_log.flush()
        app_log.seek(0)
        print('# the outbox at the desk:', listed.stdout, listed.stderr, '# the app said:', app_log.read()[-3000:],
              file=sys.stderr, flush=True)
    press('F5', pause=3)
    rows = platform_rows('SELECT id, reference, body FROM submissions')
    check('…exactly once, after a second round too', len(rows) == 1, rows)
    if rows:
        submission_id, reference, body = rows[0]
        sent = json.loads(body)
        check('the platform has the form as typed and both documents, their SHA-256 those on the receipt',
              sent['form'].get('reason') == 'extension-pending' and sent['form'].get('travelPlanned') is True and
              sorted(a['sha256'] for a in sent['attachments']) == sorted(a + b for a, b in digests), sent)
        def filetype(metadata):
            fields = dict(part.split(' ', 1) for part in metadata.split(',') if ' ' in part)
            return base64.b64decode(fields.get('filetype', '')).decode()

        types = sorted(filetype(m) for (m,) in platform_rows('SELECT metadata FROM uploads'))
        check('the documents went as the service takes them: the passport as PDF, the photo as JPEG',
              types == ['application/pdf', 'image/jpeg'], types)

        # A caseworker's question, through the platform's command line.
        asked = caseworker('ask', submission_id, 'Bitte nennen Sie die Reisedaten genauer.')
        check('the caseworker asks a question with the platform\'s command line', asked.returncode == 0,
              asked.stdout + asked.stderr)
        press('F5', pause=1)
        question = wait_for(lambda: named('label', 'Bitte nennen Sie die Reisedaten genauer.'), timeout=60)
        check('the question arrives at the counter, in the application\'s detail', question)
        check('the answer field has the keyboard', wait_for(lambda: named('label', 'Answer the Caseworker'), timeout=5))
        check('the timeline shows the platform\'s statuses: received by the authority, the question',
              named('label', 'Received by the authority') and named('label', 'The caseworker has a question'))
        # The answer: a few words, and the flight booking scanned on the test scanner.
        type_text('Reise vom 01.03. bis 15.03.2027 nach Kyiv. Die Buchung liegt bei.')
        press('alt+d')  # "Scan _Document": the keyboard alone
        check('a scan for the answer is kept at once, to look at or remove before it goes',
              wait_for(lambda: named('push button', 'Look at Document for the caseworker 1'), timeout=60) and
              named('push button', 'Remove Document for the caseworker 1'))
        shot('e2e-submissions-question.png')
        check('every control of the answer, with its scan, has a name', not unnamed_controls(),
              repr(unnamed_controls()))
        press('alt+s', pause=1)  # "_Send Answer"
        press('F5', pause=1)
        answered = wait_for(lambda: platform_rows("SELECT body FROM messages WHERE direction = 'from-applicant'") or None,
                            timeout=60)
        sent_answer = json.loads(answered[0][0]) if answered else {}
        check('the answer reaches the caseworker with its scan, uploaded completely (tus) before it',
              'Kyiv' in sent_answer.get('text', '') and len(sent_answer.get('attachments', [])) == 1 and
              platform_rows('SELECT count(*) FROM uploads WHERE id = ? AND submission_id = ? AND offset = length',
                            sent_answer['attachments'][0]['upload'], submission_id)[0][0] == 1, sent_answer)
        check('the answer and its document are in the thread at the desk',
              wait_for(lambda: named('label', 'Reise vom 01.03. bis 15.03.2027 nach Kyiv. Die Buchung liegt bei.'),
                       timeout=20))

        decided = caseworker('accept', submission_id)
        check('the caseworker decides with the command line', decided.returncode == 0, decided.stdout + decided.stderr)
        press('F5', pause=1)
        decision = wait_for(lambda: next((n for n in descendants(application) if role_and_name(n)[0] == 'push button'
                                          and role_and_name(n)[1].startswith('Open ')), None), timeout=60)
        check('the decision arrives, with Open and Print', decision and named('push button', 'Print '),
              [role_and_name(n) for n in descendants(application) if role_and_name(n)[0] == 'push button'])
        if decision:
            title = role_and_name(decision)[1][len('Open '):].split(' Open')[0]
            click(decision)
            opened = wait_for(lambda: next((w for w in application if w is not None and
                                            role_and_name(w)[1] == title), None), timeout=10)
            check('the decision opens in the PDF view', opened)
            shot('e2e-submissions-decision.png')
            press('Escape', pause=0.8)
            check('Escape closes it', wait_for(lambda: next((w for w in application if w is not None and
                                                            role_and_name(w)[1] == title), None) is None, timeout=10))


def every_service():
    '''Every demo service but the visit's, filled from the keyboard as Ctrl+Return leads, submitted online.'''
    # Every demo service's form, from the keyboard: Ctrl+Return takes the clerk to each field at fault.
    def field_for(label):
        '''The schema member whose label the focused row shows.'''
        def walk(properties, required):
            for name, schema in properties.items():
                text = schema.get('x-labels', {}).get('en', name)
                if schema.get('type') == 'array':
                    schema = schema.get('items', {})  # a list's entries: their fields
                if schema.get('type') == 'object':
                    found = walk(schema.get('properties', {}), schema.get('required', []))
                    if found:
                        return found
                elif label.startswith(text):
                    return schema
            return None
        return walk(form_schema.get('properties', {}), form_schema.get('required', []))

    def value_for(schema):
        pattern = schema.get('pattern', '')
        if schema.get('format') == 'date':
            return '31.01.2027'
        if schema.get('format') == 'email':
            return 'olena@example.org'
        if schema.get('type') in ('integer', 'number'):
            return str(max(schema.get('minimum', 1), 1))
        samples = {'^[A-Z0-9]{9}$': 'C01X00T47', '^[0-9]{5}$': '90403', '^[A-Z]{3}$': 'UKR',
                   '^[A-Z0-9<]{5,20}$': 'FX123456', '^[0-9]{4}$': '2512', '^[A-Z0-9]{6,12}$': 'C01X00T47'}
        return samples.get(pattern, 'Hauptmarkt Nürnberg')

    def focused(scope):
        return next((n for n in descendants(scope) if has_state(n, pyatspi.STATE_FOCUSED)), None)

    def focused_name(scope=None):
        '''The name of what has the keyboard, looked for below @scope (a walk of the whole window is
        a round trip on the bus for each of its thousand objects: the form alone is a tenth of it).'''
        # GTK 4.8 leaves the text inside an entry row unnamed: the row around it has the field's title.
        node = focused(scope or application)
        for _ in range(4):
            if node is None:
                return ''
            name = role_and_name(node)[1]
            if name:
                return name
            try:
                node = node.parent
            except Exception:
                return ''
        return ''

    if os.path.exists(switch):
        os.unlink(switch)  # online: what is filed goes with the next round
    delivered_before = len(platform_rows('SELECT id FROM submissions'))
    done = []
    for service in catalogue['services']:
        if service['id'] == 'fiktionsbescheinigung':
            continue  # the visit's service
        sid = service['id']
        form_schema = service['form']
        if done or not every_demo_service:
            press('alt+Left', pause=0.5)  # from the last application back to its citizen's applications
            wait_for(lambda: 'New Application' in focused_name(), timeout=20)
            press('ctrl+n', pause=0.5)
        else:
            press('ctrl+shift+a', pause=1.5)  # from the citizen just saved
        wait_for(lambda: focused_name() == 'Search Services', timeout=20)
        type_text(sid)
        wait_for(lambda: label_with('1 of 8 service'), timeout=10)
        press('Return', pause=0.5)
        opened = wait_for(lambda: named('label', service['title']['en'], exact=True) and
                          label_with('Draft saved'), timeout=10)
        check(f'{sid}: found in the catalogue by its id and opened, its draft saved at once', opened)
        lists = [(name, schema['x-labels']['en']) for name, schema in form_schema['properties'].items()
                 if schema.get('type') == 'array']
        for _, label in lists:
            # A list: two entries added, the second removed again; the first is filled as Ctrl+Return leads.
            click(named('push button', f'Add to {label}'))
            click(wait_for(lambda: named('push button', f'Add to {label}'), timeout=5))
            removed = wait_for(lambda: named('push button', f'Remove {label} 2'), timeout=5)
            click(removed)
            check(f'{sid}: "{label}" takes entries with Add and gives them back with Remove',
                  removed and wait_for(lambda: named('push button', f'Remove {label} 2') is None, timeout=5) and
                  named('push button', f'Remove {label} 1'))
        represented = sid == 'verpflichtungserklaerung'
        if represented:
            # An authorised person applies for the citizen: Alt+A opens "Applying", the second choice;
            # then their name, and their power of attorney is required among the documents.
            press('alt+a', pause=0.8)
            press('Down', pause=0.3)
            press('Return', pause=0.8)
            press('Down', pause=0.3)
            type_text('Taras Kovalenko')
            check(f'{sid}: Alt+A chooses who applies; an authorised person\'s power of attorney is then asked for',
                  wait_for(lambda: named('push button', 'Scan Power of attorney from the glass'), timeout=5))
            shot('e2e-submissions-power-of-attorney.png')
        press('ctrl+Return', pause=0.5)
        required = [form_schema['properties'][r].get('x-labels', {}).get('en', r) for r in form_schema.get('required', [])
                    if form_schema['properties'][r].get('type') not in ('object', 'boolean')]

        form = find(application, 'filler', 'SbSchemaForm') or application
        checklist = find(application, 'panel', 'Documents', exact=True) or application

        def faults_named():
            texts = [role_and_name(n)[1] for n in descendants(form, visible_only=True) if role_and_name(n)[0] == 'label']
            found = [r for r in required if any(line.startswith(r) and ': ' in line
                                                for text in texts for line in text.split('\n'))]
            return found if len(found) == len(required) else None

        named_faults = wait_for(faults_named, timeout=8) or []
        check(f'{sid}: Ctrl+Return on the empty form names each required field with what to do',
              sorted(named_faults) == sorted(required), (required, named_faults))
        reviewed = False
        def first_fault():
            '''The field Ctrl+Return took the keyboard to: the first line of the topmost fault message.'''
            faults = []
            for n in descendants(form, visible_only=True):
                r, text = role_and_name(n)
                if r == 'label' and ': ' in text and field_for(text.split(':')[0]) is not None:
                    try:
                        y = n.queryComponent().getExtents(pyatspi.DESKTOP_COORDS).y
                    except Exception:
                        continue
                    if y > 0:
                        faults.append((y, text.split('\n')[0].split(':')[0]))
            return min(faults)[1] if faults else ''

        for _ in range(30):
            name = focused_name(form) or first_fault() or focused_name()
            if name.startswith('Consent to data processing'):
                reviewed = True
                break
            if 'Add Them' in name:
                press('Return', pause=0.8)
                power = {'title': {'en': 'Power of attorney'}, 'min': 1}
                for wanted in service['documents'] + ([power] if represented else []):
                    if wanted.get('min', 0) > 0:
                        look = f'Look at {wanted["title"]["en"]}'
                        scan = f'Scan {wanted["title"]["en"]} from the glass'
                        click(wait_for(lambda: find(checklist, 'push button', scan), timeout=10))
                        wait_for(lambda: find(checklist, 'push button', look), timeout=60)
                press('ctrl+Return', pause=1)
                continue
            schema = field_for(name) if name else None
            if schema is None:
                print(f'# the keyboard is on {name!r}, not a field of the form: Ctrl+Return again', file=sys.stderr)
                press('ctrl+Return', pause=1)
                continue
            if 'enum' in schema:
                press('space', pause=0.6)
                press('Down', pause=0.3)
                press('Return', pause=0.6)
            else:
                press('ctrl+a')
                type_text(value_for(schema))
            press('ctrl+Return', pause=1)
        check(f'{sid}: filled from the keyboard, going where Ctrl+Return takes it, it reaches the review', reviewed)
        if not reviewed:
            shot(f'e2e-submissions-{sid}.png')
            break
        press('space', pause=0.5)
        press('ctrl+Return', pause=1.5)
        if wait_for(lambda: named('push button', 'Preview'), timeout=20):
            press('Escape', pause=1)
        submitted = wait_for(lambda: 'Next Citizen' in focused_name(), timeout=30)
        check(f'{sid}: submitted; the keyboard waits on Next Citizen', submitted)
        done.append(sid)
    press('F5', pause=1)
    all_in = wait_for(lambda: len(platform_rows('SELECT id FROM submissions')) == delivered_before + len(done) or None,
                    timeout=120)
    check('the platform accepts every demo service\'s application as filled at the counter (its own validation)',
          all_in and len(done) == len(catalogue['services']) - 1, platform_rows('SELECT service_id FROM submissions'))
    commitment = next((json.loads(body) for (body,) in
                       platform_rows("SELECT body FROM submissions WHERE service_id = 'verpflichtungserklaerung'")), {})
    authorization = commitment.get('representation', {}).get('authorization', '')
    check('filed by an authorised person: the platform has them as representative (FIM code 004) and their power of '
          'attorney as the authorization, uploaded completely',
          commitment.get('representation', {}).get('code') == '004' and
          commitment['representation']['representative'].get('familyName') == 'Kovalenko' and
          platform_rows('SELECT count(*) FROM uploads WHERE id = ? AND offset = length', authorization)[0][0] == 1,
          commitment.get('representation'))
    registration = next((json.loads(body) for (body,) in
                         platform_rows("SELECT body FROM submissions WHERE service_id = 'wohnsitz-anmelden'")), {})
    check('a list and a oneOf choice arrive as filled: one person moving in too, the previous address asked for '
          'because "in Germany" was chosen',
          len(registration.get('form', {}).get('movingWith', [])) == 1 and
          registration['form'].get('previousResidence') == 'germany' and 'previousAddress' in registration['form'] and
          'previousCountry' not in registration['form'], registration.get('form'))
    if not all_in:
        press('alt+4', pause=2)
        shot('e2e-submissions-outbox.png')
        print('# what the Outbox says:', [role_and_name(n)[1] for n in on_screen()
                                          if role_and_name(n)[0] == 'label'][:80], file=sys.stderr)
        press('alt+2', pause=1)


try:
    check('the window is on the accessibility bus', application)
    if not application:
        raise RuntimeError('the app did not appear on the accessibility bus')

    # The desk signs in and gets the catalogue with its first sync; then the network goes down.
    check('the desk signs in to its demo platform and has the catalogue',
          wait_for(lambda: named('push button', 'Up to Date'), timeout=40))
    open(switch, 'w').close()
    press('alt+3', pause=1)
    check('the Scan area finds the test scanner', wait_for(lambda: named('label', 'Noname frontend-tester'), timeout=30))
    press('alt+1', pause=1)

    # A citizen, quickly. (bench/counter times the visit from here.)
    bench_started = time.monotonic()
    counts.update(keys=0, clicks=0)
    press('ctrl+n', pause=1)
    type_text('Kovalenko')
    press('Tab')
    type_text('Olena')
    press('Tab', 'Tab', 'Tab')
    type_text('17.05.1990')
    press('ctrl+s', pause=2)
    saved = wait_for(lambda: any(role_and_name(n)[0] == 'push button' and role_and_name(n)[1].startswith('New Application')
                                 and has_state(n, pyatspi.STATE_SENSITIVE) for n in descendants(application)), timeout=15)
    check('the citizen is saved (offline: the account waits in the outbox); New Application is offered', saved)

    if every_demo_service:
        every_service()
    else:
        visit()

    # Next citizen: nothing of her stays on screen.
    press('ctrl+shift+n', pause=1.5)
    search = wait_for(lambda: next((n for n in descendants(application) if role_and_name(n)[1] == 'Search Citizens'
                                    and has_state(n, pyatspi.STATE_FOCUSED)), None), timeout=5)
    left = [role_and_name(n) for n in descendants(application) if 'Kovalenko' in role_and_name(n)[1]]
    check('Ctrl+Shift+N: the empty search has the keyboard; nothing of the citizen is left in the window', search and
          not left, left)
finally:
    if shots:
        shot('e2e-submissions-last.png')
    app.terminate()
    try:
        app.wait(timeout=15)
    except subprocess.TimeoutExpired:
        app.kill()
    atspi_bus.terminate()
    app_log.seek(0)
    log = app_log.read()
    print('\n'.join('# ' + line for line in log.splitlines()[-40:]), file=sys.stderr)

report(results)
