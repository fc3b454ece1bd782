#!/usr/bin/python3
# Interop: the desk's tus client uploads to the official Node tus server
# (@tus/server with its file store, from npm) on loopback, is killed
# (SIGKILL) mid-upload several times and goes on from the server's offset.
#   test_tus_server_interop.py SYNC_HELPER NODE_MODULES_DIR
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

helper, node_modules = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
server_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'interop', 'tus-server.mjs')
results = []
node = shutil.which('node')
if node is None or not os.path.isdir(os.path.join(node_modules, '@tus', 'server')):
    reason = 'Node.js or @tus/server is missing (build-aux/run-tests installs them from npm)'
    if os.environ.get('SB_TESTS_NO_SKIP'):
        print(f'1..1\nnot ok 1 - {reason}')
        sys.exit(1)
    print(f'1..0 # SKIP {reason}')
    sys.exit(0)


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


rng = random.Random(7)
with tempfile.TemporaryDirectory() as tmp:
    files = os.path.join(tmp, 'files')
    os.makedirs(files)
    server = subprocess.Popen([node, server_script, files], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, SB_NODE_MODULES=node_modules))
    try:
        endpoint = server.stdout.readline().split()[-1]
        document = os.path.join(tmp, 'document.pdf')
        data = os.urandom(24 * 1024 * 1024 + 4321)
        with open(document, 'wb') as f:
            f.write(data)
        state = os.path.join(tmp, 'upload-url')
        kills = 0
        for _ in range(3):
            process = subprocess.Popen([helper, 'tus-upload', endpoint, document, state, str(256 * 1024)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            process.stdout.readline()
            time.sleep(rng.uniform(0.05, 0.25))
            process.kill()
            process.wait()
            kills += process.returncode == -9
        first_url = open(state).read() if os.path.exists(state) else None
        done = subprocess.run([helper, 'tus-upload', endpoint, document, state, str(256 * 1024)],
                              capture_output=True, text=True, timeout=120)
        url = done.stdout.splitlines()[-1] if done.returncode == 0 else None
        check(f'the desk\'s tus client, killed {kills} times mid-upload, completes against @tus/server',
              done.returncode == 0 and kills >= 2, done.stderr)
        check('it went on with the upload it had started (the address it kept), not a new one',
              url is not None and url == first_url, (url, first_url))
        stored = os.path.join(files, url.rsplit('/', 1)[1]) if url else None
        check('the file on the server is byte for byte the document (sha256)',
              stored and os.path.exists(stored) and
              hashlib.sha256(open(stored, 'rb').read()).hexdigest() == hashlib.sha256(data).hexdigest())
    finally:
        server.terminate()
        server.wait(timeout=10)

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok and detail:
        for line in str(detail).splitlines()[:20]:
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
