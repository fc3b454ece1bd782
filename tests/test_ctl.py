#!/usr/bin/python3
# servicebuero-ctl as IT staff call it.
import os
import subprocess
import sys

ctl = sys.argv[1]
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C')
results = []


def check(name, ok, detail=''):
    results.append((name, ok, detail))


def run(*args):
    return subprocess.run([ctl, *args], capture_output=True, text=True, env=env, timeout=30)


r = run('--version')
check('--version prints the version and exits 0',
      r.returncode == 0 and r.stdout.startswith('servicebuero-ctl ') and r.stdout.strip().split()[1][0].isdigit(),
      r.stdout + r.stderr)

r = run('--help')
check('--help describes the tool and its options',
      r.returncode == 0 and 'Usage:' in r.stdout and '--version' in r.stdout and 'scanners' in r.stdout,
      r.stdout + r.stderr)

r = run('--no-such-option')
check('an unknown option fails with a hint to --help',
      r.returncode == 2 and 'servicebuero-ctl --help' in r.stderr and r.stdout == '',
      r.stdout + r.stderr)

r = run('frobnicate')
check('an unknown command fails and names the command',
      r.returncode == 2 and '“frobnicate”' in r.stderr and 'servicebuero-ctl --help' in r.stderr,
      r.stdout + r.stderr)

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        for line in detail.splitlines():
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
