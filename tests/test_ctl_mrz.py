#!/usr/bin/python3
# servicebuero-ctl mrz: the zone from typed lines and from a scan, as JSON.
import json
import os
import subprocess
import sys
import tempfile

ctl, specimen_tool = sys.argv[1:3]
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C')
results = []
TD3 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\n'


def check(name, ok, detail=''):
    results.append((name, ok, detail))


def run(*args, stdin=None):
    return subprocess.run([ctl, 'mrz', *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)


r = run('--text', stdin=TD3)
out = json.loads(r.stdout) if r.returncode == 0 else {}
check('mrz --text: ICAO\'s TD3 specimen, every field and every check digit, exit 0',
      r.returncode == 0 and out['familyName'] == 'ERIKSSON' and out['givenNames'] == 'ANNA MARIA' and
      out['documentNumber'] == 'L898902C3' and out['birthDate'] == '1974-08-12' and out['valid'] and
      sorted(out['checks']) == ['birthDate', 'composite', 'documentNumber', 'expiryDate', 'optionalData'] and
      all(c['valid'] for c in out['checks'].values()), r.stdout + r.stderr)

r = run('--text', stdin=TD3.replace('7408122', '7408132'))
out = json.loads(r.stdout) if r.stdout else {}
check('a wrong birth date: exit 1, the JSON says which check digit failed and what it should be',
      r.returncode == 1 and not out['valid'] and not out['checks']['birthDate']['valid'] and
      out['checks']['birthDate']['computed'] == '3' and out['checks']['documentNumber']['valid'], r.stdout + r.stderr)

r = run('--text', stdin='Reisepass\nPassport\n')
check('no zone in the text: exit 1 and what to do, in words', r.returncode == 1 and r.stdout == '' and
      'scan that side' in r.stderr, r.stderr)

r = run('--text', 'extra.png', stdin=TD3)
check('--text with a file is a usage error', r.returncode == 2 and '--help' in r.stderr, r.stderr)

r = run()
check('no image and no --text is a usage error', r.returncode == 2, r.stderr)

with tempfile.TemporaryDirectory() as tmp:
    for fmt, seed, degrees in (('TD1', 11, 1.5), ('TD3', 12, -2.0)):
        image = os.path.join(tmp, f'{fmt}.png')
        lines = subprocess.run([specimen_tool, image, fmt, str(seed), str(degrees)], capture_output=True, text=True,
                               check=True).stdout.split()
        r = run(image)
        out = json.loads(r.stdout) if r.returncode == 0 else {}
        check(f'mrz IMAGE: a {fmt} scan turned {degrees}° is read line for line, exit 0',
              r.returncode == 0 and out['lines'] == lines and out['valid'], (lines, r.stdout, r.stderr))

    blank = os.path.join(tmp, 'blank.txt')
    with open(blank, 'w') as f:
        f.write('not an image')
    r = run(blank)
    check('a file that is no image: exit 1 with a message', r.returncode == 1 and r.stderr.strip() != '', r.stderr)
    r = run(os.path.join(tmp, 'missing.png'))
    check('a missing file: exit 1 with a message', r.returncode == 1 and r.stderr.strip() != '', r.stderr)

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        print('# ' + str(detail).replace('\n', '\n# '))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
