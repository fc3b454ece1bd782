# Shared by the platform's tests: start the real servicebuero-platform on
# loopback, sign in through its real OAuth flow, and check every answer
# against docs/api/platform-v1.yaml.
import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import urllib.parse

import yaml
from jsonschema import Draft202012Validator, RefResolver

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_PATH = os.path.join(HERE, '..', '..', 'docs', 'api', 'platform-v1.yaml')


class Results:
    """Collects checks and prints them as TAP."""

    def __init__(self):
        self.items = []

    def check(self, name, ok, detail=''):
        self.items.append((name, bool(ok), detail))
        return bool(ok)

    def finish(self):
        print(f'1..{len(self.items)}')
        failed = 0
        for number, (name, ok, detail) in enumerate(self.items, 1):
            print(f'{"ok" if ok else "not ok"} {number} - {name}')
            if not ok:
                failed += 1
                for line in str(detail).splitlines()[:30]:
                    print(f'# {line}')
        sys.stdout.flush()
        return 1 if failed else 0


class Platform:
    def __init__(self, binary, data_dir, *args):
        self.binary = binary
        self.data_dir = data_dir
        self.args = list(args)
        self.process = None
        self.url = None
        self.log_lines = []
        self.returncode = None
        self.stderr = ''

    def add_user(self, username, password, office, name='Test Clerk'):
        r = subprocess.run([self.binary, '--data-dir', self.data_dir, 'user', 'add', username,
                            '--name', name, '--office', office],
                           input=password + '\n', capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(r.stderr)

    def caseworker(self, *args):
        return subprocess.run([self.binary, '--data-dir', self.data_dir, 'caseworker', *args],
                              capture_output=True, text=True, timeout=60)

    def start(self):
        self.process = subprocess.Popen([self.binary, '--data-dir', self.data_dir, '--port', '0', '--log', *self.args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith('Listening on '):
            raise RuntimeError('platform did not start: ' + line + self.process.stderr.read())
        self.url = line.split(' ', 2)[2].strip()
        # Its request log is read all along: a full pipe would stop the
        # server in the middle of a test that produces many requests.
        self._out, self._err = [], []
        self._readers = [threading.Thread(target=self._collect, args=(stream, into), daemon=True)
                         for stream, into in ((self.process.stdout, self._out), (self.process.stderr, self._err))]
        for reader in self._readers:
            reader.start()
        parsed = urllib.parse.urlparse(self.url)
        self.host, self.port = parsed.hostname, parsed.port
        return self

    @staticmethod
    def _collect(stream, into):
        for line in stream:
            into.append(line)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return ''
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for reader in self._readers:
            reader.join(timeout=20)
        out, err = ''.join(self._out), ''.join(self._err)
        self.log_lines = out.splitlines()
        self.returncode = self.process.returncode
        self.stderr = err
        self.process = None
        return out + err


class OpenApi:
    """Finds the operation answered and checks the body against its schema."""

    def __init__(self, path=SPEC_PATH):
        with open(path, encoding='utf-8') as f:
            self.spec = yaml.safe_load(f)
        self.resolver = RefResolver('', self.spec)
        self.routes = []
        for template, item in self.spec['paths'].items():
            pattern = '^' + re.sub(r'\\\{[^}]+\\\}', '[^/]+', re.escape(template)) + '$'
            self.routes.append((re.compile(pattern), template, item))
        self.seen = set()
        self.mismatches = []

    def _resolve(self, node):
        while isinstance(node, dict) and '$ref' in node:
            node = self.resolver.resolve(node['$ref'])[1]
        return node

    def check(self, method, path, status, content_type, body):
        path = path.split('?', 1)[0]
        for pattern, template, item in self.routes:
            if pattern.match(path):
                break
        else:
            self.mismatches.append(f'{method} {path}: no such path in the document')
            return
        operation = item.get(method.lower())
        if operation is None:
            if status not in (404, 405):
                self.mismatches.append(f'{method} {template}: method not documented (answered {status})')
            return
        responses = operation.get('responses', {})
        response = responses.get(str(status))
        if response is None:
            # Faults and limits any operation may answer.
            if status in (401, 413, 429, 503) or (status in (400, 404, 405, 415, 422) and content_type.startswith('application/problem+json')):
                if content_type.startswith('application/problem+json'):
                    self._validate({'$ref': '#/components/schemas/Problem'}, body, f'{method} {template} {status}')
                return
            self.mismatches.append(f'{method} {template}: status {status} not documented')
            return
        self.seen.add((method.upper(), template, status))
        response = self._resolve(response)
        content = response.get('content')
        if not content or method.upper() == 'HEAD':
            return
        media = content_type.split(';', 1)[0].strip()
        if media not in content:
            self.mismatches.append(f'{method} {template} {status}: content type {media} not documented')
            return
        schema = content[media].get('schema')
        if schema is None or not media.endswith('json'):
            return
        self._validate(schema, body, f'{method} {template} {status}')

    def _validate(self, schema, body, where):
        try:
            document = json.loads(body)
        except ValueError as e:
            self.mismatches.append(f'{where}: not JSON ({e})')
            return
        validator = Draft202012Validator(schema, resolver=self.resolver)
        for error in validator.iter_errors(document):
            self.mismatches.append(f'{where}: {error.json_path}: {error.message}')


class Client:
    """HTTP on loopback, each answer checked against the API document."""

    def __init__(self, platform, openapi, token=None):
        self.platform = platform
        self.openapi = openapi
        self.token = token

    def request(self, method, path, body=None, headers=None, token='default', check=True, timeout=60):
        headers = dict(headers or {})
        token = self.token if token == 'default' else token
        if token:
            headers['Authorization'] = 'Bearer ' + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers.setdefault('Content-Type', 'application/json')
        connection = http.client.HTTPConnection(self.platform.host, self.platform.port, timeout=timeout)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        content_type = response.getheader('Content-Type', '')
        if check:
            self.openapi.check(method, path, response.status, content_type, data)
        parsed = None
        if content_type.startswith('application/') and 'json' in content_type and data:
            try:
                parsed = json.loads(data)
            except ValueError:
                parsed = None
        return response.status, response, parsed, data


def pkce_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b'=').decode()
    return verifier, challenge


REDIRECT = 'http://127.0.0.1:53682/callback'


def authorize_query(challenge, state='xyz', redirect=REDIRECT):
    return urllib.parse.urlencode({'response_type': 'code', 'client_id': 'servicebuero', 'redirect_uri': redirect,
                                   'code_challenge': challenge, 'code_challenge_method': 'S256', 'state': state})


def sign_in(client, username, password):
    """The whole authorization-code flow with PKCE, as the app does it."""
    verifier, challenge = pkce_pair()
    status, _, _, _ = client.request('GET', '/oauth/authorize?' + authorize_query(challenge), token=None)
    assert status == 200, status
    form = urllib.parse.parse_qs(authorize_query(challenge))
    form = {k: v[0] for k, v in form.items()}
    form.update(username=username, password=password)
    status, response, _, _ = client.request('POST', '/oauth/authorize', body=urllib.parse.urlencode(form).encode(),
                                            headers={'Content-Type': 'application/x-www-form-urlencoded'}, token=None)
    assert status == 302, status
    location = urllib.parse.urlparse(response.getheader('Location'))
    code = urllib.parse.parse_qs(location.query)['code'][0]
    status, _, tokens, _ = client.request('POST', '/oauth/token', body=urllib.parse.urlencode({
        'grant_type': 'authorization_code', 'code': code, 'redirect_uri': REDIRECT,
        'client_id': 'servicebuero', 'code_verifier': verifier}).encode(),
        headers={'Content-Type': 'application/x-www-form-urlencoded'}, token=None)
    assert status == 200, tokens
    return tokens


def tus_upload(client, data, filetype='application/pdf', filename='scan.pdf'):
    """Upload @data in one go; returns (upload id, sha256 hex)."""
    metadata = 'filename {},filetype {}'.format(base64.b64encode(filename.encode()).decode(),
                                                base64.b64encode(filetype.encode()).decode())
    status, response, _, body = client.request('POST', '/v1/uploads', headers={
        'Tus-Resumable': '1.0.0', 'Upload-Length': str(len(data)), 'Upload-Metadata': metadata})
    assert status == 201, body
    path = urllib.parse.urlparse(response.getheader('Location')).path
    status, _, _, body = client.request('PATCH', path, body=data, headers={
        'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream',
        'Upload-Checksum': 'sha256 ' + base64.b64encode(hashlib.sha256(data).digest()).decode()})
    assert status == 204, body
    return path.rsplit('/', 1)[1], hashlib.sha256(data).hexdigest()
