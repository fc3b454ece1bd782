#!/usr/bin/python3
# The sync engine against the real servicebuero-platform on loopback, with
# a real keyring (run through tests/keyring-session): exactly once through
# faults and kill -9, quarantine, resumed uploads, and a 401 that pauses.
#   test_sync.py SYNC_HELPER PLATFORM_BINARY CTL
import hashlib
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'platform'))
from platform_fixture import Client, OpenApi, Platform, Results, sign_in  # noqa: E402

helper, binary, ctl = (os.path.abspath(a) for a in sys.argv[1:4])
results = Results()
check = results.check
rng = random.Random(20261204)
tmp = tempfile.TemporaryDirectory()
WAITING, SENDING, DELIVERED, NEEDS_ATTENTION = 0, 1, 2, 3


def queue(store, count, size, *extra):
    r = subprocess.run([helper, 'queue', store, str(count), str(size), *extra], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return dict(line.split() for line in r.stdout.splitlines())


def states(store):
    r = subprocess.run([helper, 'states', store], capture_output=True, text=True, timeout=60)
    rows = [line.split(' ', 4) for line in r.stdout.splitlines()]
    return [(int(row[0]), row[1], row[2], int(row[3]), row[4] if len(row) > 4 else '') for row in rows]


def drain(store, platform, token, chunk=None, kill_after=None):
    """Runs the desk's sync; with kill_after, SIGKILLs it after that many
    seconds (counted once the store is open)."""
    args = [helper, 'drain', store, platform.url, token] + ([str(chunk)] if chunk else [])
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if kill_after is None:
        out, err = process.communicate(timeout=900)
        return process.returncode, out, err
    assert process.stdout.readline().strip() == 'opened'
    time.sleep(kill_after)
    process.kill()
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def platform_with(name, *args):
    platform = Platform(binary, os.path.join(tmp.name, name), *args)
    platform.add_user('anna', 'anna-secret', 'auslaenderbehoerde')
    platform.start()
    return platform, sign_in(Client(platform, OpenApi()), 'anna', 'anna-secret')['access_token']


def uploaded_sha256(platform, upload_id):
    with open(os.path.join(platform.data_dir, 'uploads', upload_id), 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


# Exactly once: 200 submissions queued offline, then a platform that drops
# connections before and after committing and answers 503/429, and a desk
# process killed at random moments.
platform, token = platform_with('flaky', '--faults',
                                'drop-before:0.08,drop-after:0.08,unavailable:0.04,too-many:0.04,seed:11')
store = os.path.join(tmp.name, 'desk')
expected = queue(store, 200, 30000)
check('200 submissions with attachments are queued offline', len(expected) == 200)
kills = 0
for _ in range(6):
    code, out, _ = drain(store, platform, token, kill_after=rng.uniform(0.3, 1.5))
    kills += code == -9
code, out, err = drain(store, platform, token)
final = states(store)
check(f'after {kills} kills (SIGKILL) and a last run, every outbox item is delivered',
      code == 0 and kills >= 4 and all(s[0] == DELIVERED for s in final) and len(final) == 400,
      (code, err[-500:], [s for s in final if s[0] != DELIVERED][:5]))
client = Client(platform, OpenApi(), token)


def get_through_faults(path):
    """The faulty platform refuses and drops our own checks too: ask again."""
    for _ in range(100):
        try:
            answer = client.request('GET', path, check=False)
        except (ConnectionError, OSError, http.client.HTTPException):
            continue
        if answer[0] == 200:
            return answer
    raise RuntimeError(f'GET {path} never answered 200')


status, _, listed, _ = get_through_faults('/v1/submissions')
on_platform = {s['id']: s for s in listed['submissions']}
check('the platform holds exactly the 200 submissions: none twice, none missing',
      status == 200 and sorted(on_platform) == sorted(expected) and len(listed['submissions']) == 200,
      (len(listed['submissions']), len(set(on_platform) - set(expected)), len(set(expected) - set(on_platform))))
mismatched = [sid for sid, digest in expected.items() if sid in on_platform and (
    on_platform[sid]['receipt']['contentHashes']['attachments'][0]['sha256'] != digest or
    uploaded_sha256(platform, on_platform[sid]['receipt']['contentHashes']['attachments'][0]['upload']) != digest)]
check('each attachment on the platform is byte for byte the one queued (sha256)', not mismatched, mismatched[:5])
log = platform.stop()
check('the platform was really faulty: it dropped and refused requests',
      ' 503 ' in log and ' 429 ' in log, log.count('\n'))

# Quarantine: one item the platform refuses does not hold up the others.
platform, token = platform_with('quarantine')
store = os.path.join(tmp.name, 'quarantine-desk')
queued = list(queue(store, 5, 5000, 'bad'))
code, out, err = drain(store, platform, token)
final = {s[2]: s for s in states(store)}
bad = final[queued[0]]
check('the refused submission waits for a person, with the platform\'s reason in words and the field',
      bad[0] == NEEDS_ATTENTION and 'refused' in bad[4] and '/form/circumstances' in bad[4], bad)
check('the other items, queued after it, were all delivered',
      all(final[sid][0] == DELIVERED for sid in queued[1:]) and
      sum(1 for s in final.values() if s[1] == 'account.create' and s[0] == DELIVERED) == 5, final)

# The platform's activation code for each account created is kept, sealed, for the letter; it works.
accounts = [s[2] for s in states(store) if s[1] == 'account.create']
kept = subprocess.run([helper, 'activation', store, *accounts], capture_output=True, text=True, timeout=60).stdout.split('\n')
kept = [line.split() for line in kept if line]
check('each account the platform confirmed has its activation code kept at the desk',
      len(kept) == 5 and all(len(k) == 3 and len(k[1]) == 14 and k[1][4] == '-' for k in kept), kept)
anonymous = Client(platform, OpenApi(), None)
status, _, _, _ = anonymous.request('POST', '/v1/activation', body={'code': kept[0][1], 'password': 'lange-geheim-42'},
                                    check=False)
check('the kept code is the platform\'s: the citizen sets a password with it', status == 204, status)

# What IT sees of it with servicebuero-ctl.
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C')
listed = subprocess.run([ctl, 'outbox', 'list', '--store', store], capture_output=True, text=True, env=env, timeout=60)
check('ctl outbox list shows what did not go, with its state in words',
      listed.returncode == 0 and listed.stdout.count('\n') == 1 and 'needs attention' in listed.stdout, listed.stdout)
short_id = listed.stdout.split()[0] if listed.stdout.split() else 'none'
shown = subprocess.run([ctl, 'outbox', 'show', short_id, '--store', store], capture_output=True, text=True, env=env, timeout=60)
check('ctl outbox show (by the first characters of the id) gives the platform\'s answer',
      shown.returncode == 0 and queued[0] in shown.stdout and '/form/circumstances' in shown.stdout and
      '"status":422' in shown.stdout, shown.stdout + shown.stderr)
retried = subprocess.run([ctl, 'outbox', 'retry', short_id, '--store', store], capture_output=True, text=True, env=env, timeout=60)
check('ctl outbox retry puts it back in the queue', retried.returncode == 0 and
      any(s[0] == WAITING and s[2] == queued[0] for s in states(store)), retried.stdout + retried.stderr)
unknown = subprocess.run([ctl, 'outbox', 'show', 'ffffffff', '--store', store], capture_output=True, text=True, env=env, timeout=60)
check('an id that is not there: exit 1 and a sentence', unknown.returncode == 1 and 'not in the outbox' in unknown.stderr,
      unknown.stderr)
platform.stop()

# Resume: a 50 MB attachment, the desk killed during the upload.
# Each request takes 40 ms longer, so the kills land inside the upload.
platform, token = platform_with('resume', '--faults', 'delay:1:40')
store = os.path.join(tmp.name, 'resume-desk')
big = queue(store, 1, 50 * 1024 * 1024)
chunk = 1024 * 1024
kills = 0
outputs = []
for _ in range(3):
    code, out, _ = drain(store, platform, token, chunk=chunk, kill_after=rng.uniform(0.8, 2.0))
    kills += code == -9
    outputs.append(out)
code, out, err = drain(store, platform, token, chunk=chunk)
outputs.append(out)
runs = [[tuple(int(x) for x in line.split()[2:]) for line in run.splitlines() if line.startswith('progress ')]
        for run in outputs]
progress = [p for run in runs for p in run]
check('each run reports its progress chunk by chunk, and the last report is the whole document',
      len(progress) >= 2 and all(a[0] < b[0] for run in runs for a, b in zip(run, run[1:])) and
      progress[-1][0] == progress[-1][1], progress[-3:])
client = Client(platform, OpenApi(), token)
(sid, digest), = big.items()
status, _, submission, _ = client.request('GET', f'/v1/submissions/{sid}', check=False)
attachment = submission['receipt']['contentHashes']['attachments'][0] if status == 200 else {}
log = platform.stop()
patches = [line for line in log.splitlines() if line.startswith('PATCH ') and ' 204 ' in line]
resumes = [line for line in log.splitlines() if line.startswith('HEAD /v1/uploads/') and ' 200 ' in line]
size = os.path.getsize(os.path.join(platform.data_dir, 'uploads', attachment['upload'])) if attachment else 0
needed = -(-size // chunk)
check(f'a 50 MB upload killed {kills} times completes, with a matching sha256',
      code == 0 and kills >= 2 and attachment.get('sha256') == digest and uploaded_sha256(platform, attachment['upload']) == digest,
      (code, err[-300:], attachment))
check(f'it resumed from the platform\'s offset after the kills ({len(resumes)} times asked where it stood)',
      len(resumes) >= 2, resumes)
check(f'and sent at most one chunk again per interruption ({len(patches)} PATCHes for {needed} chunks)',
      needed <= len(patches) <= needed + kills, len(patches))

# Pulls: what the caseworker does comes back to the desk, once.
platform, token = platform_with('pull')
store = os.path.join(tmp.name, 'pull-desk')
asked_id, decided_id = list(queue(store, 2, 3000))
code, out, err = drain(store, platform, token)
asked = platform.caseworker('ask', asked_id, 'Bitte bringen Sie die Meldebescheinigung mit.')
accepted = platform.caseworker('accept', decided_id)
for _ in range(2):   # twice: nothing may come twice
    code, out, err = drain(store, platform, token)


def inbox(*ids):
    r = subprocess.run([helper, 'inbox', store, *ids], capture_output=True, text=True, timeout=60)
    return [line.split(' ', 5) for line in r.stdout.splitlines()]


rows = inbox(asked_id, decided_id)
check('the caseworker\'s question arrives at the desk, once, with the status "question"',
      asked.returncode == 0 and rows[0][1] == 'question' and rows[0][2] == '1' and 'Meldebescheinigung' in rows[0][5], rows)
check('the decision arrives with its PDF, once, and the status "decided"',
      accepted.returncode == 0 and rows[1][1] == 'decided' and rows[1][3] == '1', rows)
check('every status the platform gave is kept for the timeline, once each, in order',
      rows[0][4] == 'received,question' and rows[1][4] == 'received,decided', rows)

# The answer at the counter, with a new scan: the scan is uploaded (tus), then the message names it.
answered = subprocess.run([helper, 'answer', store, asked_id, 'Die Meldebescheinigung liegt bei.', '40000'],
                          capture_output=True, text=True, timeout=60)
message_id, scan_sha256 = answered.stdout.split() if answered.returncode == 0 else ('-', '-')
code, out, err = drain(store, platform, token)
_, _, thread, _ = Client(platform, OpenApi(), token).request('GET', f'/v1/submissions/{asked_id}/messages')
sent = next((m for m in thread['messages'] if m['id'] == message_id), {})
check('the answer reaches the caseworker with its scan, whose SHA-256 is the desk\'s and whose upload is complete',
      sent.get('direction') == 'from-applicant' and [a.get('sha256') for a in sent.get('attachments', [])] == [scan_sha256]
      and uploaded_sha256(platform, sent['attachments'][0]['upload']) == scan_sha256, (answered.stderr, sent, err[-300:]))
again = subprocess.run([helper, 'answer', store, asked_id, 'Noch einmal.', '1000'], capture_output=True, text=True,
                       timeout=60)
code, out, err = drain(store, platform, token)
_, _, thread, _ = Client(platform, OpenApi(), token).request('GET', f'/v1/submissions/{asked_id}/messages')
answers = [s for s in states(store) if s[1] == 'message.send']
check('a second answer goes too, and each went once',
      again.returncode == 0 and len(answers) == 2 and all(s[0] == DELIVERED for s in answers) and
      sum(m['direction'] == 'from-applicant' for m in thread['messages']) == 2, (answers, thread))
log = platform.stop()
check('the service catalogue with its forms is kept at the desk; the second time the ETag saves the download',
      rows[2][:2] == ['catalogue', 'kept'] and rows[2][3] == 'with-forms' and 'GET /v1/services 304' in log,
      (rows[2], [line for line in log.splitlines() if line.startswith('GET /v1/services ')]))

# An authorised person files it: their power of attorney goes as the representation's authorization.
platform, token = platform_with('represented')
store = os.path.join(tmp.name, 'represented-desk')
(represented_id, power_sha256), = queue(store, 1, 3000, 'represented').items()
code, out, err = drain(store, platform, token)
with sqlite3.connect(os.path.join(platform.data_dir, 'platform.db')) as db:
    body = json.loads(db.execute('SELECT body FROM submissions WHERE id = ?', (represented_id,)).fetchone()[0])
    linked = db.execute('SELECT submission_id FROM uploads WHERE id = ?',
                        (body.get('representation', {}).get('authorization', ''),)).fetchone()
representation = body.get('representation', {})
check('an authorised person\'s application: the power of attorney is uploaded and named as the representation\'s '
      'authorization (FIM code 004), not among the service\'s documents',
      code == 0 and representation.get('code') == '004' and representation.get('representative', {}).get('familyName') ==
      'Kovalenko' and uploaded_sha256(platform, representation.get('authorization', '')) == power_sha256 and
      linked == (represented_id,) and len(body['attachments']) == 1, (err[-300:], representation, body.get('attachments')))
platform.stop()

# "Sync now" (F5, or the network coming back) sends what waits out a backoff; an automatic round does not.
platform, token = platform_with('sync-now')
store = os.path.join(tmp.name, 'sync-now-desk')
queue(store, 1, 2000)


def once(url, *extra):
    r = subprocess.run([helper, 'once', store, url, token, *extra], capture_output=True, text=True, timeout=120)
    return [int(x) for x in r.stdout.split()] if r.returncode == 0 else r.stderr


waiting = once(platform.url, 'later')
asked = once(platform.url, 'now')
check('what waits out a backoff stays in an automatic round; "Sync now" sends it at once: the account, then '
      'the application', waiting == [0, 0] and asked == [2, 0], (waiting, asked))
platform.stop()

# A possible duplicate: the clerk links the existing account, or says it is another person.
platform, token = platform_with('duplicates')
client = Client(platform, OpenApi(), token)
desks = {name: os.path.join(tmp.name, name) for name in ('first-desk', 'linking-desk', 'other-person-desk')}
queue(desks['first-desk'], 1, 2000)
drain(desks['first-desk'], platform, token)
existing = next(s[2] for s in states(desks['first-desk']) if s[1] == 'account.create')


def ctl_outbox(store_dir, *args):
    return subprocess.run([ctl, 'outbox', *args, '--store', store_dir], capture_output=True, text=True, env=env, timeout=60)


def outbox_id(store_dir, kind):
    listed = ctl_outbox(store_dir, 'list', '--all').stdout.split('\n')
    return next(line.split()[0] for line in listed if kind in line)


linking = desks['linking-desk']
(linked_submission, _), = queue(linking, 1, 2000).items()
drain(linking, platform, token)
held = {s[1]: s for s in states(linking)}
account_item = outbox_id(linking, 'account.create')
shown = ctl_outbox(linking, 'show', account_item)
check('the same person queued at another desk: the platform holds the account back with the candidate, '
      'and the application waits for it',
      held['account.create'][0] == NEEDS_ATTENTION and held['submission.submit'][0] == NEEDS_ATTENTION and
      existing in shown.stdout, (held, shown.stdout[-400:]))
linked = ctl_outbox(linking, 'link', account_item, existing)
drain(linking, platform, token)
status, _, submission, _ = client.request('GET', f'/v1/submissions/{linked_submission}', check=False)
check('linked to the existing account, the application goes, filed under that account',
      linked.returncode == 0 and status == 200 and submission['account'] == existing and
      all(s[0] == DELIVERED for s in states(linking)), (linked.stdout + linked.stderr, status, submission))

other = desks['other-person-desk']
queue(other, 1, 2000)
drain(other, platform, token)
marked = ctl_outbox(other, 'not-duplicate', outbox_id(other, 'account.create'))
drain(other, platform, token)
status, _, found, _ = client.request('GET', '/v1/accounts?name=kovalenko0', check=False)
check('marked as another person, the account is created beside the first, and the application goes',
      marked.returncode == 0 and all(s[0] == DELIVERED for s in states(other)) and len(found['accounts']) == 2,
      (marked.stdout + marked.stderr, states(other), found))

platform.stop()
platform, token = platform_with('discarding')
discarding = os.path.join(tmp.name, 'discarding-desk')
queue(discarding, 1, 2000, 'bad')
drain(discarding, platform, token)
discarded = ctl_outbox(discarding, 'discard', outbox_id(discarding, 'submission.submit'))
audit = subprocess.run([ctl, 'audit', 'export', '--store', discarding], capture_output=True, text=True, env=env, timeout=60)
check('a refused application the clerk discards leaves the queue, and the audit log says so',
      discarded.returncode == 0 and ctl_outbox(discarding, 'list').stdout.strip() == 'Nothing waits to be sent.' and
      any(s[0] == 4 for s in states(discarding)) and '"outbox.discarded"' in audit.stdout,
      (discarded.stdout + discarded.stderr, states(discarding)))
platform.stop()

# 401: the queue pauses, nothing is dropped.
platform, token = platform_with('signed-out')
store = os.path.join(tmp.name, 'signed-out-desk')
queue(store, 2, 2000)
code, out, err = drain(store, platform, 'not-a-valid-token')
final = states(store)
check('with a sign-in the platform refuses (401) the queue pauses: nothing sent, nothing dropped, no attempt counted',
      code == 3 and all(s[0] == WAITING and s[3] == 0 for s in final) and len(final) == 4, (code, final, err[-300:]))
code, out, err = drain(store, platform, token)
check('signed in again, it all goes', code == 0 and all(s[0] == DELIVERED for s in states(store)), out[-300:])
platform.stop()

sys.exit(results.finish())
