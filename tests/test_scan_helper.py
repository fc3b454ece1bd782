#!/usr/bin/python3
# servicebuero-scan-helper's protocol with SANE's test device, batch after
# batch: every feeder batch ends with its ten whole pages and a "done", in
# time (a helper that hangs between pages, as one did when the backend's
# reader thread was cancelled on its way out, fails here); the glass and an
# unknown source scan one page.
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

from e2e_common import check, report, sane_test_device

helper = sys.argv[1]
batches = int(os.environ.get('SB_SCAN_HELPER_BATCHES', '25'))
work = tempfile.mkdtemp(prefix='sb-scan-helper-')
env = dict(os.environ, SANE_CONFIG_DIR=sane_test_device(work, 'Color pattern'))


class Hung(Exception):
    pass


def on_alarm(*_):
    raise Hung()


signal.signal(signal.SIGALRM, on_alarm)


def scan(source, limit=20):
    '''One job: (whole pages, pages cut short, the "done" message or None, seconds).'''
    started = time.monotonic()
    helper_process = subprocess.Popen([helper, 'scan'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, env=env)
    job = {'device': 'test:0', 'source': source, 'mode': 'gray', 'resolution': 150, 'pageSize': 'a4'}
    helper_process.stdin.write((json.dumps(job) + '\n').encode())
    helper_process.stdin.flush()
    whole, short, done, height, rows = 0, 0, None, 0, 0
    signal.alarm(limit)
    try:
        while True:
            line = helper_process.stdout.readline()
            if not line:
                break
            message = json.loads(line)
            if message['event'] == 'page':
                height, rows = message['height'], 0
            elif message['event'] == 'rows':
                helper_process.stdout.read(message['bytes'])
                rows += message['rows']
            elif message['event'] == 'page-done':
                if rows == height:
                    whole += 1
                else:
                    short += 1
            elif message['event'] == 'done':
                done = message
                break
    except Hung:
        pass
    finally:
        signal.alarm(0)
        helper_process.stdin.close()
        try:
            helper_process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            helper_process.kill()
            helper_process.wait()
    return whole, short, done, time.monotonic() - started


outcomes = [scan('feeder') for _ in range(batches)]
failed = [(i + 1, whole, short, done) for i, (whole, short, done, _) in enumerate(outcomes)
          if whole != 10 or short or not done or done.get('status') != 'ok' or done.get('pages') != 10]
check(f'{batches} feeder batches in a row: each ends with its ten whole pages and "done"', not failed, failed)
slowest = max(seconds for *_, seconds in outcomes)
print(f'# slowest batch: {slowest:.2f} s', file=sys.stderr)

whole, short, done, _ = scan('flatbed')
check('the glass scans one whole page', whole == 1 and not short and done and done.get('status') == 'ok',
      (whole, short, done))
whole, short, done, _ = scan('tray')
check('a source the helper does not know scans one page, as from the glass, and does not go on',
      whole == 1 and not short and done and done.get('pages') == 1, (whole, short, done))

report()
