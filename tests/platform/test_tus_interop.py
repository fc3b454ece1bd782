#!/usr/bin/python3
# Interop: the official tus client (tus-js-client, from npm, on the
# machine's Node.js) uploads to servicebuero-platform, is cut off after its
# first chunk and resumes from the server's offset; and rides out dropped
# connections by retrying.
#   test_tus_interop.py PLATFORM_BINARY NODE_MODULES_DIR
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from platform_fixture import Client, OpenApi, Platform, Results, sign_in  # noqa: E402

binary = os.path.abspath(sys.argv[1])
node_modules = os.path.abspath(sys.argv[2])
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'interop', 'tus-upload.cjs')
results = Results()
check = results.check

node = shutil.which('node')
if node is None or not os.path.isdir(os.path.join(node_modules, 'tus-js-client')):
    reason = 'Node.js or tus-js-client is missing (build-aux/run-tests installs them from npm)'
    if os.environ.get('SB_TESTS_NO_SKIP'):
        print(f'1..1\nnot ok 1 - {reason}')
        sys.exit(1)
    print(f'1..0 # SKIP {reason}')
    sys.exit(0)

tmp = tempfile.TemporaryDirectory()
document = os.path.join(tmp.name, 'antrag.pdf')
data = os.urandom(3 * 1024 * 1024 + 12345)
with open(document, 'wb') as f:
    f.write(data)
digest = hashlib.sha256(data).hexdigest()


def run_client(platform, mode):
    openapi = OpenApi()
    token = sign_in(Client(platform, openapi), 'anna', 'anna-secret')['access_token']
    r = subprocess.run([node, script, mode, platform.url, token, document], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, SB_NODE_MODULES=node_modules))
    result = json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip() else None
    return r, result, Client(platform, openapi, token)


def stored(platform, url):
    upload_id = urllib.parse.urlparse(url).path.rsplit('/', 1)[1]
    with open(os.path.join(platform.data_dir, 'uploads', upload_id), 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


platform = Platform(binary, os.path.join(tmp.name, 'plain'))
platform.add_user('anna', 'anna-secret', 'auslaenderbehoerde')
platform.start()
try:
    r, result, client = run_client(platform, 'interrupt')
    check('tus-js-client uploads 3 MB in 1 MB chunks, is cut off after the first and resumes', result is not None,
          r.stderr)
    if result:
        check('the resumed upload went on at the server\'s offset (1 MiB), not from the start',
              result['url'] == result['firstUrl'] and result['patches'][:2] == [0, 1024 * 1024], result['patches'])
        status, response, _, _ = client.request('HEAD', urllib.parse.urlparse(result['url']).path,
                                                headers={'Tus-Resumable': '1.0.0'})
        check('HEAD says complete, and the stored bytes are the file\'s',
              status == 200 and response.getheader('Upload-Offset') == str(len(data)) and stored(platform, result['url']) == digest)
finally:
    platform.stop()

flaky = Platform(binary, os.path.join(tmp.name, 'flaky'), '--faults', 'drop-before:0.3,unavailable:0.1,seed:3')
flaky.add_user('anna', 'anna-secret', 'auslaenderbehoerde')
flaky.start()
try:
    r, result, client = run_client(flaky, 'retry')
    check('against a platform that drops 30% of connections, tus-js-client still completes the upload by retrying',
          result is not None and stored(flaky, result['url']) == digest, r.stderr)
finally:
    flaky.stop()

sys.exit(results.finish())
