#!/usr/bin/python3
# See bench/sync.
import base64
import http.client
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

build = sys.argv[1]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'platform'))
from platform_fixture import Client, OpenApi, Platform, sign_in  # noqa: E402

helper = os.path.join(build, 'tests', 'sync-helper')
binary = os.path.join(build, 'src', 'platform', 'servicebuero-platform')
COUNT, SIZE = 100, 3 * 1024 * 1024

with tempfile.TemporaryDirectory() as tmp:
    platform = Platform(binary, os.path.join(tmp, 'platform'))
    platform.add_user('bench', 'bench-secret', 'auslaenderbehoerde')
    platform.start()
    token = sign_in(Client(platform, OpenApi()), 'bench', 'bench-secret')['access_token']
    store = os.path.join(tmp, 'desk')

    queued = subprocess.run([helper, 'queue', store, str(COUNT), str(SIZE)], capture_output=True, text=True, check=True)
    started = time.perf_counter()
    drained = subprocess.run([helper, 'drain', store, platform.url, token], capture_output=True, text=True)
    engine_seconds = time.perf_counter() - started
    delivered = sum(1 for line in drained.stdout.splitlines() if line.startswith('2 submission.submit'))

    # The reference: the same bytes to the same server with curl (tus).
    sample = os.path.join(tmp, 'sample.pdf')
    with open(sample, 'wb') as f:
        f.write(os.urandom(SIZE))
    started = time.perf_counter()
    connection = http.client.HTTPConnection(platform.host, platform.port)
    locations = []
    for _ in range(COUNT):
        connection.request('POST', '/v1/uploads', headers={
            'Authorization': 'Bearer ' + token, 'Tus-Resumable': '1.0.0', 'Upload-Length': str(SIZE),
            'Upload-Metadata': 'filetype ' + base64.b64encode(b'application/pdf').decode()})
        answer = connection.getresponse()
        answer.read()
        locations.append(answer.getheader('Location'))
    args = ['curl', '-sS', '--fail', '-o', '/dev/null']
    for n, location in enumerate(locations):
        if n:
            args += ['--next', '-sS', '--fail', '-o', '/dev/null']
        args += ['-X', 'PATCH', '--data-binary', '@' + sample, '-H', 'Tus-Resumable: 1.0.0', '-H', 'Expect:',
                 '-H', 'Content-Type: application/offset+octet-stream', '-H', 'Upload-Offset: 0',
                 '-H', 'Authorization: Bearer ' + token, location]
    subprocess.run(args, check=True)
    curl_seconds = time.perf_counter() - started
    platform.stop()

    megabytes = COUNT * SIZE / (1024 * 1024)
    print(f'sync: {delivered} of {COUNT} submissions × {SIZE // (1024 * 1024)} MB drained in {engine_seconds:.2f} s '
          f'({megabytes / engine_seconds:.0f} MiB/s, with accounts, decryption, hashing and the PUTs); '
          f'curl, the same bytes as tus uploads: {curl_seconds:.2f} s ({megabytes / curl_seconds:.0f} MiB/s); '
          f'ratio {curl_seconds / engine_seconds:.2f} (goal ≥ 0.8)')
