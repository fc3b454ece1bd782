#!/usr/bin/python3
# servicebuero-platform when time passes and the network fails: expired
# tokens and uploads, 503/429 with Retry-After, dropped connections, a
# retry while the first request is still in flight, and exactly-once
# submission through connections dropped after the commit; HTTPS with
# --tls-cert/--tls-key, and the --demo life cycle.
#   test_platform_faults.py PLATFORM_BINARY
import hashlib
import http.client
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from platform_fixture import Client, OpenApi, Platform, Results, sign_in, tus_upload  # noqa: E402

binary = os.path.abspath(sys.argv[1])
results = Results()
check = results.check
openapi = OpenApi()
TUS = {'Tus-Resumable': '1.0.0'}
tmp = tempfile.TemporaryDirectory()
platforms = []


def platform_with(name, *args):
    platform = Platform(binary, os.path.join(tmp.name, name), *args)
    platform.add_user('anna', 'anna-secret', 'auslaenderbehoerde')
    platforms.append(platform)
    return platform.start()


accounts = {}


def submission_for(client):
    """A complete 'report a lost document', for one account per platform."""
    account = accounts.get(client.platform.url)
    if account is None:
        account = accounts[client.platform.url] = str(uuid.uuid4())
        status, _, _, body = retry(lambda: client.request('PUT', f'/v1/accounts/{account}', body={
            'givenNames': 'Olena', 'familyName': 'Kovalenko', 'birthDate': '1979-11-02'}))
        assert status in (200, 201), body
    return {'service': 'verlust-melden', 'account': account,
            'form': {'documentType': 'passport', 'lostOn': '2026-11-30', 'circumstances': 'Verloren in der U-Bahn U1.'},
            'attachments': [], 'consent': {'dataProcessing': True, 'recordedAt': '2026-12-04T09:00:00Z', 'method': 'verbal'}}


def retry(call, attempts=60):
    """What the app's outbox does: on a dropped connection or 503/429, again."""
    for _ in range(attempts):
        try:
            answer = call()
        except (ConnectionError, http.client.HTTPException, OSError, AssertionError):
            time.sleep(0.02)
            continue
        if answer[0] in (429, 503):
            time.sleep(0.02)
            continue
        return answer
    raise RuntimeError('no answer after retries')


try:
    # Expiry
    platform = platform_with('expiry', '--access-token-lifetime', '1', '--upload-lifetime', '1')
    anon = Client(platform, openapi)
    tokens = sign_in(anon, 'anna', 'anna-secret')
    client = Client(platform, openapi, tokens['access_token'])
    status, response, _, _ = client.request('POST', '/v1/uploads', headers=dict(TUS, **{'Upload-Length': '100'}))
    location = response.getheader('Location', '')
    time.sleep(2.2)
    status, response, problem, _ = client.request('GET', '/v1/events')
    check('an expired access token: 401 with error="invalid_token" and a detail saying so',
          status == 401 and 'invalid_token' in response.getheader('WWW-Authenticate', '') and 'expired' in problem['detail'],
          (status, problem))
    status, _, renewed, _ = anon.request('POST', '/oauth/token', body=(
        'grant_type=refresh_token&client_id=servicebuero&refresh_token=' + tokens['refresh_token']).encode(),
        headers={'Content-Type': 'application/x-www-form-urlencoded'})
    client.token = renewed['access_token']
    status, _, problem, _ = client.request('HEAD', location.split(platform.url, 1)[-1], headers=TUS)
    check('the refresh token still works; an unfinished upload past its time: 410', status == 410, status)
    platform.stop()

    # 503 and 429
    for fault, code in (('unavailable', 503), ('too-many', 429)):
        platform = platform_with(fault, '--faults', f'{fault}:1')
        client = Client(platform, openapi, sign_in(Client(platform, openapi), 'anna', 'anna-secret')['access_token'])
        status, response, problem, _ = client.request('GET', '/v1/events')
        health, _, _, _ = client.request('GET', '/healthz')
        check(f'--faults {fault}:1 answers {code} with Retry-After and a problem; /healthz is spared',
              status == code and response.getheader('Retry-After') == '1' and problem['status'] == code and health == 200,
              (status, problem))
        platform.stop()

    # A dropped connection
    platform = platform_with('drop', '--faults', 'drop-before:1')
    client = Client(platform, openapi, sign_in(Client(platform, openapi), 'anna', 'anna-secret')['access_token'])
    try:
        client.request('GET', '/v1/events')
        dropped = False
    except (ConnectionError, http.client.HTTPException):
        dropped = True
    check('--faults drop-before:1 closes the connection without an answer', dropped)
    platform.stop()

    # The same key while the first request is in flight
    platform = platform_with('slow', '--faults', 'slow-commit:1:1500')
    client = Client(platform, openapi, sign_in(Client(platform, openapi), 'anna', 'anna-secret')['access_token'])
    body = submission_for(client)
    path = f'/v1/submissions/{uuid.uuid4()}'
    first = {}
    thread = threading.Thread(target=lambda: first.update(answer=client.request('PUT', path, body=body,
                                                                               headers={'Idempotency-Key': 'slow-key'})))
    thread.start()
    time.sleep(0.5)
    status, _, problem, _ = client.request('PUT', path, body=body, headers={'Idempotency-Key': 'slow-key'})
    thread.join(20)
    check('a retry while the first request is in flight: 409; the first then succeeds',
          status == 409 and 'in-flight' in problem['type'] and first['answer'][0] == 201, (status, problem))
    status, response, _, _ = client.request('PUT', path, body=body, headers={'Idempotency-Key': 'slow-key'})
    check('afterwards the same key replays the stored answer', status == 201 and response.getheader('Idempotent-Replayed') == 'true')
    platform.stop()

    # Exactly once through connections dropped after the commit
    platform = platform_with('flaky', '--faults', 'drop-after:0.4,drop-before:0.2,unavailable:0.1,seed:7')
    client = Client(platform, openapi, sign_in(Client(platform, openapi), 'anna', 'anna-secret')['access_token'])
    sent = []
    attempts = 0
    for n in range(12):
        body = submission_for(client)
        if n % 3 == 0:
            upload = retry(lambda: ('ok', tus_upload(client, b'%%PDF-1.4 police report %d' % n)))[1]
            body['attachments'] = [{'upload': upload[0], 'sha256': upload[1], 'documentType': 'police-report'}]
        submission_id, key = str(uuid.uuid4()), str(uuid.uuid4())

        def put():
            global attempts
            attempts += 1
            return client.request('PUT', f'/v1/submissions/{submission_id}', body=body, headers={'Idempotency-Key': key})

        status, _, answer, _ = retry(put)
        sent.append((submission_id, status, answer))
    status, _, listed, _ = retry(lambda: client.request('GET', '/v1/submissions'))
    ids = [s['id'] for s in listed['submissions']]
    references = {s['reference'] for s in listed['submissions']}
    check(f'12 submissions through dropped connections ({attempts} attempts): each stored exactly once',
          all(s[1] == 201 for s in sent) and sorted(ids) == sorted(s[0] for s in sent) and len(references) == 12,
          [(s[0], s[1]) for s in sent])
    status, _, feed, _ = retry(lambda: client.request('GET', '/v1/events?after=0'))
    received = [e['submission'] for e in feed['events'] if e.get('status') == 'received']
    check('and each was announced once in the event feed', sorted(received) == sorted(ids))
    check('the platform kept serving', platform.alive())
    platform.stop()

    # HTTPS with a certificate of the city's own
    cert, key = os.path.join(tmp.name, 'cert.pem'), os.path.join(tmp.name, 'key.pem')
    made = subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                           '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
                          capture_output=True, text=True, timeout=60)
    platform = platform_with('tls', '--tls-cert', cert, '--tls-key', key)
    context = ssl.create_default_context(cafile=cert)
    connection = http.client.HTTPSConnection(platform.host, platform.port, context=context, timeout=10)
    connection.request('GET', '/healthz')
    answer = connection.getresponse()
    check('--tls-cert/--tls-key: the platform speaks HTTPS, verified against its certificate',
          made.returncode == 0 and platform.url.startswith('https://') and answer.status == 200, made.stderr)
    connection.close()
    platform.stop()
    bad = subprocess.run([binary, '--data-dir', os.path.join(tmp.name, 'tls'), '--port', '0', '--tls-cert', cert],
                         capture_output=True, text=True, timeout=30)
    check('--tls-cert without --tls-key is a usage error (exit 2) that says so',
          bad.returncode == 2 and '--tls-key' in bad.stderr, bad.stderr)

    # The demo moves a submission through its whole life by itself
    platform = platform_with('demo', '--demo', '--demo-pace', '1')
    client = Client(platform, openapi, sign_in(Client(platform, openapi), 'demo', 'demo')['access_token'])
    body = submission_for(client)
    demo_id = str(uuid.uuid4())
    status, _, _, _ = client.request('PUT', f'/v1/submissions/{demo_id}', body=body, headers={'Idempotency-Key': 'demo'})
    deadline = time.monotonic() + 20
    state = None
    while time.monotonic() < deadline and state != 'decided':
        time.sleep(0.5)
        state = client.request('GET', f'/v1/submissions/{demo_id}')[2]['status']
    _, _, feed, _ = client.request('GET', '/v1/events?after=0')
    steps = [e.get('status') or e['type'] for e in feed['events'] if e['submission'] == demo_id]
    _, _, decision, _ = client.request('GET', f'/v1/submissions/{demo_id}/decision')
    check('--demo: staff user demo/demo, and a submission goes received → in progress → question → decided',
          status == 201 and steps == ['received', 'in-progress', 'message.created', 'question', 'decision.issued', 'decided']
          and decision['outcome'] == 'accepted', steps)
    platform.stop()
finally:
    for platform in platforms:
        platform.stop()

check('every answer matched the OpenAPI document', not openapi.mismatches, '\n'.join(openapi.mismatches[:20]))
sys.exit(results.finish())
