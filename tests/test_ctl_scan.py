#!/usr/bin/python3
# servicebuero-ctl scanners / scan, with SANE's test device: what IT staff
# see when they check a desk's scanner.
import os
import signal
import subprocess
import sys
import tempfile
import time

ctl, helper = sys.argv[1], sys.argv[2]
results = []
work = tempfile.mkdtemp(prefix='sb-ctl-scan-')
sane = os.path.join(work, 'sane')
os.makedirs(sane)
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C', SANE_CONFIG_DIR=sane, SB_SCAN_HELPER=helper,
           XDG_CACHE_HOME=os.path.join(work, 'cache'))


def check(name, ok, detail=''):
    results.append((name, ok, detail))


def configure(extra=''):
    with open(os.path.join(sane, 'dll.conf'), 'w') as f:
        f.write('test\n')
    with open(os.path.join(sane, 'test.conf'), 'w') as f:
        f.write('number_of_devices 2\nenable-test-options true\n'
                'geometry_max 300.0\nbr_x 210.0\nbr_y 297.0\n' + extra + '\n')


def run(*args, **kwargs):
    return subprocess.run([ctl, *args], capture_output=True, text=True, env=kwargs.get('env', env), timeout=60)


def pages(pdf):
    r = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        if line.startswith('Pages:'):
            return int(line.split()[1])
    return 0


configure()
r = run('scanners')
check('scanners lists both test devices with vendor and model',
      r.returncode == 0 and 'test:0\tNoname frontend-tester' in r.stdout and 'test:1' in r.stdout, r.stdout + r.stderr)

r = run('scanners', '--json')
check('scanners --json is a list of name, vendor, model and type',
      r.returncode == 0 and '"name" : "test:0"' in r.stdout and '"type" : "virtual device"' in r.stdout,
      r.stdout + r.stderr)

out = os.path.join(work, 'batch.pdf')
configure('test-picture "Grid"')
r = run('scan', '--device', 'test:0', '--source', 'feeder', '--resolution', '100', '--mode', 'gray', '-o', out)
check('a feeder batch of ten sheets becomes a ten-page PDF',
      r.returncode == 0 and pages(out) == 10 and '10 pages written' in r.stderr, r.stdout + r.stderr)

out = os.path.join(work, 'card.pdf')
r = run('scan', '--source', 'flatbed', '--page-size', 'id1', '--resolution', '300', '-o', out, '--quiet')
size = subprocess.run(['pdfinfo', out], capture_output=True, text=True).stdout
points = [line.split()[2:5:2] for line in size.splitlines() if line.startswith('Page size:')]
width, height = (float(points[0][0]), float(points[0][1])) if points else (0, 0)
check('without --device the first scanner is used; an ID card is scanned at its size (85.6 × 54 mm)',
      r.returncode == 0 and pages(out) == 1 and 240 < width < 246 and 150 < height < 156, r.stdout + r.stderr + size)

out = os.path.join(work, 'jam.pdf')
configure('read-status-code "SANE_STATUS_JAMMED"')
r = run('scan', '--device', 'test:0', '--source', 'feeder', '-o', out)
check('a paper jam is said in words, fails, and writes no empty PDF',
      r.returncode == 1 and 'jammed' in r.stderr and not os.path.exists(out), r.stdout + r.stderr)

configure('read-status-code "SANE_STATUS_NO_DOCS"')
r = run('scan', '--device', 'test:0', '--source', 'feeder', '-o', out)
check('an empty feeder at the start says to put the pages in',
      r.returncode == 1 and 'no paper in the feeder' in r.stderr, r.stdout + r.stderr)

configure()
r = run('scan', '--device', 'test:9', '-o', out)
check('a scanner that is not there is named as not connected',
      r.returncode == 1 and 'not connected' in r.stderr, r.stdout + r.stderr)

r = run('scan', '--device', 'test:0', '--mode', 'sepia', '-o', out)
check('a wrong option value is refused with the allowed values',
      r.returncode == 2 and 'color, gray and bw' in r.stderr, r.stdout + r.stderr)

# Ctrl+C in a long batch: the scanner stops and what was scanned is written.
out = os.path.join(work, 'interrupted.pdf')
configure('test-picture "Color pattern"')
process = subprocess.Popen([ctl, 'scan', '--device', 'test:0', '--source', 'feeder', '--resolution', '300',
                            '-o', out], stderr=subprocess.PIPE, text=True, env=env)
first = process.stderr.readline()
process.send_signal(signal.SIGINT)
rest = process.communicate(timeout=60)[1]
n = pages(out) if os.path.exists(out) else 0
check('Ctrl+C stops the batch; the pages scanned before are written',
      process.returncode == 130 and 1 <= n < 10 and 'cancelled' in rest, first + rest + f' pages={n}')

# A backend that hangs: the helper says nothing more; the job ends it.
hanging = os.path.join(work, 'hanging-helper')
with open(hanging, 'w') as f:
    f.write('#!/bin/sh\nread job\n'
            'echo \'{"event":"page","page":1,"width":100,"height":100,"channels":1,"dpi":100}\'\n'
            'exec sleep 600\n')
os.chmod(hanging, 0o755)
started = time.monotonic()
r = run('scan', '--device', 'test:0', '-o', out,
        env=dict(env, SB_SCAN_HELPER=hanging, SB_SCAN_STALL_SECONDS='2'))
check('a scanner that stops responding is ended and said so',
      r.returncode == 1 and 'stopped responding' in r.stderr and time.monotonic() - started < 20,
      r.stdout + r.stderr)

# A helper that crashes outright.
crashing = os.path.join(work, 'crashing-helper')
with open(crashing, 'w') as f:
    f.write('#!/bin/sh\nread job\nkill -SEGV $$\n')
os.chmod(crashing, 0o755)
r = run('scan', '--device', 'test:0', '-o', out, env=dict(env, SB_SCAN_HELPER=crashing))
check('a crashing helper is a message, not a crash of the tool',
      r.returncode == 1 and 'stopped working' in r.stderr, r.stdout + r.stderr)

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        for line in detail.splitlines():
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
