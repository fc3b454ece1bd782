#!/usr/bin/python3
# servicebuero-ctl check and audit export on a real store, with a real
# keyring (run through tests/keyring-session).
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

ctl, helper = sys.argv[1], sys.argv[2]
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C')
results = []


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def run(*args):
    return subprocess.run([ctl, *args], capture_output=True, text=True, env=env, timeout=60)


with tempfile.TemporaryDirectory() as tmp:
    store = os.path.join(tmp, 'store')
    made = subprocess.run([helper, 'saves', store, '12'], capture_output=True, text=True, env=env, timeout=60)
    check('a store with 12 saves is made', made.returncode == 0, made.stderr)

    r = run('check', store)
    check('check says a sound store is sound and exits 0',
          r.returncode == 0 and 'The store is sound' in r.stdout, r.stdout + r.stderr)

    out = os.path.join(tmp, 'audit.jsonl')
    r = run('audit', 'export', '--store', store, '-o', out)
    lines = open(out, encoding='utf-8').read().splitlines() if os.path.exists(out) else []
    events = [json.loads(line) for line in lines]
    check('audit export writes one JSON object per line, one per save',
          r.returncode == 0 and len(events) == 12 and
          all(e['staff'] == 'crash-test' and e['action'].startswith('citizen.') for e in events),
          r.stderr + repr(events[:2]))
    check('the export is in order and carries UTC times',
          [e['seq'] for e in events] == list(range(1, 13)) and all(e['at'].endswith('Z') for e in events))

    r = run('audit', 'export', '--store', store)
    check('audit export writes to standard output without -o',
          r.returncode == 0 and len(r.stdout.splitlines()) == 12, r.stderr)

    db = sqlite3.connect(os.path.join(store, 'store.db'))
    row = db.execute('SELECT id, sealed FROM citizens LIMIT 1').fetchone()
    damaged = bytearray(row[1])
    damaged[-1] ^= 0xff
    db.execute('UPDATE citizens SET sealed = ? WHERE id = ?', (bytes(damaged), row[0]))
    db.commit()
    db.close()

    r = run('check', store)
    check('check finds a damaged record, names it and exits 1',
          r.returncode == 1 and 'cannot be decrypted' in r.stdout and row[0] in r.stdout
          and 'The store has problems' in r.stdout, r.stdout + r.stderr)

    r = run('check', os.path.join(tmp, 'nowhere'))
    check('check on a folder without a store says so', r.returncode == 1 and 'There is no store' in r.stderr,
          r.stdout + r.stderr)

    r = run('check', 'a', 'b')
    check('check with two folders is a usage error', r.returncode == 2 and '--help' in r.stderr, r.stderr)

    r = run('audit', 'import')
    check('audit with another verb is a usage error', r.returncode == 2 and 'audit export' in r.stderr, r.stderr)

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        for line in str(detail).splitlines():
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
