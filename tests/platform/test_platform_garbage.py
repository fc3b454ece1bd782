#!/usr/bin/python3
# Garbage in: random bytes, truncated requests, huge headers, deep JSON.
# servicebuero-platform answers 4xx (or closes the connection) and keeps
# serving.
#   test_platform_garbage.py PLATFORM_BINARY
import os
import random
import socket
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from platform_fixture import Client, OpenApi, Platform, Results, sign_in  # noqa: E402

binary = os.path.abspath(sys.argv[1])
results = Results()
check = results.check
tmp = tempfile.TemporaryDirectory()
platform = Platform(binary, os.path.join(tmp.name, 'data'))
platform.add_user('anna', 'anna-secret', 'auslaenderbehoerde')
platform.start()
token = sign_in(Client(platform, OpenApi()), 'anna', 'anna-secret')['access_token']
rng = random.Random(20261204)


def raw(data, read=True, shutdown=True):
    """Sends bytes as they are; returns the status code answered, or None if
    the server closed the connection without one."""
    with socket.create_connection((platform.host, platform.port), timeout=10) as sock:
        try:
            sock.sendall(data)
            if shutdown:
                sock.shutdown(socket.SHUT_WR)
            if not read:
                return None
            answer = b''
            while b'\r\n' not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except (ConnectionError, socket.timeout):
            return None
    first = answer.split(b'\r\n', 1)[0].split()
    return int(first[1]) if len(first) >= 2 and first[1].isdigit() else None


def healthy():
    try:
        return raw(b'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') == 200
    except OSError:
        return False


def acceptable(status):
    return status is None or 400 <= status < 500


auth = f'Authorization: Bearer {token}\r\n'.encode()
account = f'/v1/accounts/{uuid.uuid4()}'.encode()
cases = {
    'random bytes': [bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4000))) for _ in range(40)],
    'random bytes after a valid request line': [b'PUT ' + account + b' HTTP/1.1\r\n' + bytes(rng.getrandbits(8) for _ in range(500))
                                                for _ in range(10)],
    'a truncated request line': [b'GET /v1/serv', b'GET /healthz HTTP/1.1\r\nHost: x'],
    'a body shorter than its Content-Length': [b'PUT ' + account + b' HTTP/1.1\r\nHost: x\r\n' + auth +
                                               b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"givenNames":'],
    'a 200 KB header': [b'GET /v1/services HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * 200_000 + b'\r\n\r\n'],
    '20000 headers': [b'GET /v1/services HTTP/1.1\r\nHost: x\r\n' + b''.join(b'X-H%d: v\r\n' % i for i in range(20000)) + b'\r\n'],
    'a chunked JSON body': [b'PUT ' + account + b' HTTP/1.1\r\nHost: x\r\n' + auth +
                            b'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'
                            b'5\r\n{"a":\r\n0\r\n\r\n'],
    'a 100 MB Content-Length announced, no body': [b'PUT ' + account + b' HTTP/1.1\r\nHost: x\r\n' + auth +
                                                   b'Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n'],
    'JSON nested 100000 deep': [b'PUT ' + account + b' HTTP/1.1\r\nHost: x\r\n' + auth +
                                b'Content-Type: application/json\r\nConnection: close\r\nContent-Length: 200000\r\n\r\n' +
                                b'[' * 100000 + b']' * 100000],
    'invalid UTF-8 in JSON': [b'PUT ' + account + b' HTTP/1.1\r\nHost: x\r\n' + auth +
                              b'Content-Type: application/json\r\nConnection: close\r\nContent-Length: 19\r\n\r\n{"givenNames":"\xff\xfe"}'],
    'a NUL in the path': [b'GET /v1/services/\x00abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    'an invented method': [b'BREW /v1/services HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    'a tus PATCH with a negative offset': [b'PATCH /v1/uploads/aaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\nHost: x\r\n' + auth +
                                           b'Tus-Resumable: 1.0.0\r\nUpload-Offset: -5\r\nContent-Type: application/offset+octet-stream\r\n'
                                           b'Connection: close\r\nContent-Length: 3\r\n\r\nabc'],
    'a path of 1000 segments': [b'GET /' + b'a/' * 1000 + b' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
}

for name, payloads in cases.items():
    statuses = []
    for payload in payloads:
        try:
            statuses.append(raw(payload))
        except OSError as e:
            statuses.append(f'error {e}')
    check(f'{name}: 4xx or closed, and the platform still serves',
          all(acceptable(s) if not isinstance(s, str) else True for s in statuses) and healthy(),
          sorted({str(s) for s in statuses}))
    if os.environ.get("SB_VERBOSE"):
        print("#", name, sorted({str(s) for s in statuses}))

check('the platform process is still running', platform.alive())
platform.stop()
sys.exit(results.finish())
