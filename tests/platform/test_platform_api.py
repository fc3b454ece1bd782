#!/usr/bin/python3
# Every endpoint of servicebuero-platform over real HTTP on loopback, each
# answer checked against docs/api/platform-v1.yaml.
#   test_platform_api.py PLATFORM_BINARY
import base64
import ctypes
import http.client
import hashlib
import json
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from platform_fixture import (REDIRECT, Client, OpenApi, Platform, Results, authorize_query,  # noqa: E402
                              pkce_pair, sign_in, tus_upload)

binary = os.path.abspath(sys.argv[1])
results = Results()
check = results.check
openapi = OpenApi()
FORM = {'Content-Type': 'application/x-www-form-urlencoded'}
TUS = {'Tus-Resumable': '1.0.0'}


def minimal_pdf(text='Reisepass'):
    objects = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
               b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>']
    stream = f'BT /F1 12 Tf 72 720 Td ({text}) Tj ET'.encode()
    objects.append(b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream')
    out = bytearray(b'%PDF-1.7\n')
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    for offset in offsets:
        out += b'%010d 00000 n \n' % offset
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, xref)
    return bytes(out)


def verify_receipt(receipt, public_key_b64):
    """Ed25519 over the canonical receipt, checked with libsodium itself."""
    sodium = ctypes.CDLL('libsodium.so.23')
    sodium.sodium_init()
    unsigned = {k: v for k, v in receipt.items() if k != 'signature'}
    message = json.dumps(unsigned, sort_keys=True, separators=(',', ':'), ensure_ascii=False).encode()
    signature = base64.b64decode(receipt['signature'])
    key = base64.b64decode(public_key_b64)
    return sodium.crypto_sign_verify_detached(signature, message, ctypes.c_ulonglong(len(message)), key) == 0


tmp = tempfile.TemporaryDirectory()
platform = Platform(binary, os.path.join(tmp.name, 'data'))
platform.add_user('anna', 'anna-secret', 'auslaenderbehoerde', 'Anna Schmidt')
platform.add_user('bert', 'bert-secret', 'buergeramt', 'Bert Meier')
platform.start()
anon = Client(platform, openapi)
log = ''

try:
    # Operations
    status, _, health, _ = anon.request('GET', '/healthz')
    check('/healthz answers ok', status == 200 and health['status'] == 'ok', health)

    # Sign-in
    status, _, meta, _ = anon.request('GET', '/.well-known/oauth-authorization-server')
    check('the metadata (RFC 8414) names the endpoints and PKCE S256',
          status == 200 and meta['code_challenge_methods_supported'] == ['S256'] and
          meta['token_endpoint'] == platform.url + '/oauth/token', meta)

    verifier, challenge = pkce_pair()
    status, _, problem, _ = anon.request('GET', '/oauth/authorize?' + authorize_query(challenge, redirect='https://evil.example/cb'))
    check('a redirect_uri off the loopback address is refused, not followed',
          status == 400 and 'RFC 8252' in problem['detail'], problem)
    query = urllib.parse.urlencode({'response_type': 'code', 'client_id': 'servicebuero', 'redirect_uri': REDIRECT})
    status, _, problem, _ = anon.request('GET', '/oauth/authorize?' + query)
    check('a sign-in without PKCE is refused', status == 400 and 'PKCE' in problem['detail'], problem)
    status, _, _, page = anon.request('GET', '/oauth/authorize?' + authorize_query(challenge))
    check('the sign-in page is a form with labelled fields',
          status == 200 and b'<label for="username">' in page and b'<label for="password">' in page)

    form = {k: v[0] for k, v in urllib.parse.parse_qs(authorize_query(challenge, state='s1')).items()}
    status, _, _, page = anon.request('POST', '/oauth/authorize', body=urllib.parse.urlencode(
        dict(form, username='anna', password='wrong')).encode(), headers=FORM)
    check('a wrong password shows the form again with what to do', status == 401 and b'not right' in page)
    status, response, _, _ = anon.request('POST', '/oauth/authorize', body=urllib.parse.urlencode(
        dict(form, username='anna', password='anna-secret')).encode(), headers=FORM)
    location = urllib.parse.urlparse(response.getheader('Location') or '')
    params = urllib.parse.parse_qs(location.query)
    check('signing in redirects to the loopback address with code, state and issuer',
          status == 302 and location.netloc == '127.0.0.1:53682' and params.get('state') == ['s1'] and
          params.get('iss') == [platform.url], response.getheader('Location'))
    code = params['code'][0]
    token_request = {'grant_type': 'authorization_code', 'code': code, 'redirect_uri': REDIRECT,
                     'client_id': 'servicebuero', 'code_verifier': 'x' * 43}
    status, _, error, _ = anon.request('POST', '/oauth/token', body=urllib.parse.urlencode(token_request).encode(), headers=FORM)
    check('a wrong code_verifier gets invalid_grant', status == 400 and error['error'] == 'invalid_grant', error)
    token_request['code_verifier'] = verifier
    status, _, tokens, _ = anon.request('POST', '/oauth/token', body=urllib.parse.urlencode(token_request).encode(), headers=FORM)
    check('the code and verifier get tokens', status == 200 and tokens['token_type'] == 'Bearer', tokens)
    status, _, error, _ = anon.request('POST', '/oauth/token', body=urllib.parse.urlencode(token_request).encode(), headers=FORM)
    check('a code is good once', status == 400 and error['error'] == 'invalid_grant', error)

    anna = Client(platform, openapi, tokens['access_token'])
    refresh = {'grant_type': 'refresh_token', 'refresh_token': tokens['refresh_token'], 'client_id': 'servicebuero'}
    status, _, rotated, _ = anon.request('POST', '/oauth/token', body=urllib.parse.urlencode(refresh).encode(), headers=FORM)
    check('a refresh token gets new tokens, with a new refresh token',
          status == 200 and rotated['refresh_token'] != tokens['refresh_token'], rotated)
    anna.token = rotated['access_token']
    status, _, error, _ = anon.request('POST', '/oauth/token', body=urllib.parse.urlencode(refresh).encode(), headers=FORM)
    status2, _, _, _ = anna.request('GET', '/v1/events')
    check('reusing a rotated refresh token ends the session (RFC 6819 §5.2.2.3)',
          status == 400 and status2 == 401, (status, status2))
    anna = Client(platform, openapi, sign_in(anon, 'anna', 'anna-secret')['access_token'])
    bert_tokens = sign_in(anon, 'bert', 'bert-secret')
    bert = Client(platform, openapi, bert_tokens['access_token'])

    status, response, problem, _ = anon.request('GET', '/v1/accounts?name=ab')
    check('no token: 401 with a Bearer challenge and a problem',
          status == 401 and response.getheader('WWW-Authenticate', '').startswith('Bearer') and
          response.getheader('Content-Type') == 'application/problem+json', problem)
    status, _, _, _ = anon.request('GET', '/v1/accounts?name=ab', token='not-a-token')
    check('a made-up token: 401', status == 401)
    status, _, _, _ = anon.request('POST', '/oauth/revoke', body=urllib.parse.urlencode(
        {'token': bert_tokens['refresh_token']}).encode(), headers=FORM)
    status2, _, _, _ = bert.request('GET', '/v1/events')
    check('revoking (signing out) ends the session: its access token stops working', status == 200 and status2 == 401)
    bert = Client(platform, openapi, sign_in(anon, 'bert', 'bert-secret')['access_token'])

    # Catalogue
    status, response, catalogue, _ = anon.request('GET', '/v1/services')
    services = {s['id']: s for s in catalogue['services']}
    check('the catalogue has at least 8 services with German and English titles',
          status == 200 and len(services) >= 8 and all(s['title']['de'] and s['title']['en'] for s in services.values()),
          list(services))
    etag = response.getheader('ETag')
    status, _, _, body = anon.request('GET', '/v1/services', headers={'If-None-Match': etag})
    check('If-None-Match with the ETag: 304 and no body', status == 304 and body == b'', status)
    status, _, service, _ = anon.request('GET', '/v1/services/aufenthaltserlaubnis-verlaengern')
    check('a service has its form schema and required documents',
          status == 200 and service['form']['type'] == 'object' and
          any(d['type'] == 'passport' and d['min'] == 1 for d in service['documents']), service.get('documents'))
    status, _, problem, _ = anon.request('GET', '/v1/services/no-such-service')
    check('an unknown service: 404 problem', status == 404 and problem['status'] == 404)

    # Accounts
    account_id = str(uuid.uuid4())
    citizen = {'givenNames': 'Ayşe', 'familyName': 'Yılmaz', 'birthDate': '1988-03-14', 'nationality': 'TUR',
               'language': 'tr', 'identity': {'documentType': 'passport', 'documentNumber': 'U12345678',
                                              'issuingState': 'TUR', 'expiryDate': '2031-05-01', 'method': 'mrz'}}
    status, response, account, _ = anna.request('PUT', f'/v1/accounts/{account_id}', body=citizen)
    check('PUT creates an account: 201, confirmed at the counter, with an activation code',
          status == 201 and account['identityLevel'] == 'counter-confirmed' and
          len(account['activation']['code']) == 14, account)
    status, _, again, _ = anna.request('PUT', f'/v1/accounts/{account_id}', body=citizen)
    check('the same PUT again: 200, the same account and code', status == 200 and again == account, again)
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{uuid.uuid4()}', body=dict(citizen, shoeSize=42))
    check('an unknown field: 422 with a pointer to it',
          status == 422 and problem['errors'][0]['pointer'] == '/shoeSize', problem)
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{uuid.uuid4()}', body=dict(citizen, birthDate='14.03.1988'))
    check('a birth date not in ISO form: 422 pointing at /birthDate',
          status == 422 and [e['pointer'] for e in problem['errors']] == ['/birthDate'], problem)
    twin = dict(citizen, identity=None, givenNames='Ayse')
    del twin['identity']
    twin_id = str(uuid.uuid4())
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{twin_id}', body=twin)
    check('a likely duplicate (same family name and birth date): 409 with the candidate',
          status == 409 and [c['id'] for c in problem['candidates']] == [account_id], problem)
    status, _, created, _ = anna.request('PUT', f'/v1/accounts/{twin_id}', body=dict(twin, notDuplicateOf=[account_id]))
    check('told it is another person, the account is created, self-registered',
          status == 201 and created['identityLevel'] == 'self-registered', created)
    status, _, found, _ = anna.request('GET', '/v1/accounts?name=yilmaz')
    check('search by name ignores case and accents', status == 200 and {a['id'] for a in found['accounts']} == {account_id, twin_id}, found)
    status, _, found, _ = anna.request('GET', '/v1/accounts?documentNumber=U12345678')
    check('search by document number', [a['id'] for a in found['accounts']] == [account_id], found)
    status, _, found, _ = anna.request('GET', '/v1/accounts?birthDate=1988-03-14&name=ay')
    check('search by birth date and name', status == 200 and len(found['accounts']) == 2, found)
    status, _, problem, _ = anna.request('GET', '/v1/accounts')
    check('a search without terms is refused: too broad', status == 400, problem)
    status, _, fetched, _ = anna.request('GET', f'/v1/accounts/{account_id}')
    check('GET gives the account as stored', status == 200 and fetched['familyName'] == 'Yılmaz' and fetched['id'] == account_id)
    status, _, renewed, _ = anna.request('POST', f'/v1/accounts/{account_id}/activation')
    check('a new activation code replaces the old', status == 201 and renewed['activation']['code'] != account['activation']['code'])

    code = renewed['activation']['code']
    status, _, problem, _ = anon.request('POST', '/v1/activation', body={'code': account['activation']['code'],
                                                                        'password': 'lange-geheim-42'})
    check('the replaced activation code no longer works: 422 saying what to do', status == 422 and
          'service desk' in problem['detail'], problem)
    status, _, problem, _ = anon.request('POST', '/v1/activation', body={'code': code, 'password': 'short'})
    check('a password under 10 characters: 422 at /password', status == 422 and problem['errors'][0]['pointer'] == '/password')
    status, _, _, _ = anon.request('POST', '/v1/activation', body={'code': code.lower().replace('-', ''),
                                                                  'password': 'lange-geheim-42'})
    status2, _, _, _ = anon.request('POST', '/v1/activation', body={'code': code, 'password': 'lange-geheim-42'})
    status3, _, after, _ = anna.request('GET', f'/v1/accounts/{account_id}')
    check('the citizen sets a password with the code as typed (any case, no dashes); it works once',
          status == 204 and status2 == 422 and 'activation' not in after, (status, status2))

    # The page the QR code on the activation letter opens.
    status, _, renewed, _ = anna.request('POST', f'/v1/accounts/{account_id}/activation')
    code = renewed['activation']['code']
    status, _, _, page = anon.request('GET', '/activate?' + urllib.parse.urlencode({'code': code}))
    check('the letter\'s QR code opens a form with the code filled in and labelled fields',
          status == 200 and f'value="{code}"'.encode() in page and b'<label for="password">' in page, page[:200])
    status, _, _, page = anon.request('GET', '/activate?code=%3Cscript%3E')
    check('a made-up link is not echoed into the page', status == 400 and b'<script>' not in page)
    status, _, _, page = anon.request('POST', '/activate', body=urllib.parse.urlencode(
        {'code': code, 'password': 'kurz'}).encode(), headers=FORM)
    check('a short password on the page: the form again, saying what is needed', status == 422 and b'10' in page)
    status, _, _, page = anon.request('POST', '/activate', body=urllib.parse.urlencode(
        {'code': code, 'password': 'noch-geheimer-43'}).encode(), headers=FORM)
    status2, _, _, page2 = anon.request('POST', '/activate', body=urllib.parse.urlencode(
        {'code': code, 'password': 'noch-geheimer-43'}).encode(), headers=FORM)
    check('the page sets the password once; the code then no longer works',
          status == 200 and b'active' in page and status2 == 422 and b'service desk' in page2, (status, status2))

    # Uploads (tus 1.0.0)
    status, response, _, _ = anon.request('OPTIONS', '/v1/uploads')
    check('OPTIONS tells the tus version and extensions',
          status == 204 and response.getheader('Tus-Version') == '1.0.0' and
          'checksum' in response.getheader('Tus-Extension') and 'termination' in response.getheader('Tus-Extension'))
    status, response, _, _ = anna.request('POST', '/v1/uploads', headers={'Upload-Length': '10'})
    check('without Tus-Resumable: 412', status == 412 and response.getheader('Tus-Version') == '1.0.0')
    status, _, _, _ = anna.request('POST', '/v1/uploads', headers=dict(TUS, **{'Upload-Length': str(65 * 1024 * 1024)}))
    check('an upload over 64 MiB is refused at creation: 413', status == 413)

    pdf = minimal_pdf() * 40
    metadata = 'filename ' + base64.b64encode(b'pass.pdf').decode() + ',filetype ' + base64.b64encode(b'application/pdf').decode()
    status, response, _, _ = anna.request('POST', '/v1/uploads', headers=dict(TUS, **{
        'Upload-Length': str(len(pdf)), 'Upload-Metadata': metadata}))
    upload_path = urllib.parse.urlparse(response.getheader('Location')).path
    check('POST creates an upload with a Location and Upload-Expires',
          status == 201 and upload_path.startswith('/v1/uploads/') and response.getheader('Upload-Expires'))
    half = len(pdf) // 2
    patch = dict(TUS, **{'Content-Type': 'application/offset+octet-stream'})

    def sha(algorithm, data):
        return algorithm + ' ' + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()

    status, response, _, _ = anna.request('PATCH', upload_path, body=pdf[:half], headers=dict(patch, **{
        'Upload-Offset': '0', 'Upload-Checksum': sha('sha256', pdf[:half])}))
    check('PATCH with a sha256 checksum: 204 and the new offset',
          status == 204 and response.getheader('Upload-Offset') == str(half))
    status, _, _, _ = anna.request('PATCH', upload_path, body=pdf[half:], headers=dict(patch, **{'Upload-Offset': '0'}))
    check('PATCH at a wrong offset: 409', status == 409)
    status, _, _, _ = anna.request('PATCH', upload_path, body=pdf[half:], headers=dict(patch, **{
        'Upload-Offset': str(half), 'Upload-Checksum': sha('sha256', b'other data')}))
    status2, response, _, _ = anna.request('HEAD', upload_path, headers=TUS)
    check('a checksum mismatch: 460, and nothing was written',
          status == 460 and status2 == 200 and response.getheader('Upload-Offset') == str(half), (status, status2))
    status, _, _, _ = bert.request('HEAD', upload_path, headers=TUS)
    check('another office cannot see the upload: 403', status == 403)
    status, response, _, _ = anna.request('PATCH', upload_path, body=pdf[half:], headers=dict(patch, **{
        'Upload-Offset': str(half), 'Upload-Checksum': sha('sha1', pdf[half:])}))
    status2, response2, _, _ = anna.request('HEAD', upload_path, headers=TUS)
    check('the rest with a sha1 checksum completes it: offset equals length',
          status == 204 and response2.getheader('Upload-Offset') == str(len(pdf)) == response2.getheader('Upload-Length'))
    passport_upload = upload_path.rsplit('/', 1)[1]
    stored = open(os.path.join(platform.data_dir, 'uploads', passport_upload), 'rb').read()
    check('the stored file is byte for byte what was sent', stored == pdf)

    # Several PATCHes on one kept-alive connection, as tus clients send them.
    status, response, _, _ = anna.request('POST', '/v1/uploads', headers=dict(TUS, **{'Upload-Length': '30'}))
    connection = http.client.HTTPConnection(platform.host, platform.port, timeout=10)
    offsets = []
    for n in range(3):
        connection.request('PATCH', urllib.parse.urlparse(response.getheader('Location')).path, body=b'0123456789',
                           headers=dict(patch, **{'Upload-Offset': str(10 * n), 'Authorization': 'Bearer ' + anna.token}))
        answer = connection.getresponse()
        answer.read()
        offsets.append(answer.getheader('Upload-Offset'))
    connection.close()
    check('three PATCHes on one connection: it stays open (204 without a length)', offsets == ['10', '20', '30'], offsets)

    doomed, _ = tus_upload(anna, b'to be terminated', 'image/png')
    status, _, _, _ = anna.request('DELETE', '/v1/uploads/' + doomed, headers=TUS)
    status2, _, _, _ = anna.request('HEAD', '/v1/uploads/' + doomed, headers=TUS)
    check('DELETE terminates an upload; then it is not found', status == 204 and status2 == 404, (status, status2))

    # Submissions
    uploads = {t: tus_upload(anna, minimal_pdf(t), 'application/pdf', t + '.pdf')
               for t in ('residence-permit', 'proof-of-livelihood', 'health-insurance')}
    photo = tus_upload(anna, b'\xff\xd8\xff\xe0' + os.urandom(2000), 'image/jpeg', 'photo.jpg')
    form = {'permitNumber': 'Y1234567Z', 'permitExpiry': '2027-01-31', 'purpose': 'employment',
            'employer': 'Datev eG', 'address': {'street': 'Königstraße', 'houseNumber': '10',
                                                'postalCode': '90402', 'city': 'Nürnberg'}}
    attachments = [{'upload': passport_upload, 'sha256': hashlib.sha256(pdf).hexdigest(), 'documentType': 'passport'},
                   {'upload': photo[0], 'sha256': photo[1], 'documentType': 'biometric-photo'}]
    attachments += [{'upload': u[0], 'sha256': u[1], 'documentType': t} for t, u in uploads.items()]
    consent = {'dataProcessing': True, 'recordedAt': '2026-12-04T10:00:00Z', 'method': 'signature'}
    submission = {'service': 'aufenthaltserlaubnis-verlaengern', 'account': account_id, 'form': form,
                  'attachments': attachments, 'consent': consent, 'language': 'tr'}
    submission_id = str(uuid.uuid4())
    path = f'/v1/submissions/{submission_id}'

    status, _, problem, _ = anna.request('PUT', path, body=submission)
    check('a submission without Idempotency-Key: 400 saying why', status == 400 and 'Idempotency-Key' in problem['detail'])
    incomplete = dict(submission, form={'purpose': 'employment', 'permitNumber': 'bad'}, attachments=attachments[:1])
    status, _, problem, _ = anna.request('PUT', path, body=incomplete, headers={'Idempotency-Key': 'k-incomplete'})
    pointers = sorted({e['pointer'] for e in problem.get('errors', [])})
    check('an incomplete submission: 422 with a pointer to each field and the missing documents',
          status == 422 and {'/form/permitNumber', '/form/permitExpiry', '/form/address', '/form/employer',
                             '/attachments'} <= set(pointers) and
          any(e['keyword'] == 'minDocuments' and 'biometric-photo' in e['detail'] for e in problem['errors']), problem)
    wrong_hash = json.loads(json.dumps(submission))
    wrong_hash['attachments'][0]['sha256'] = '0' * 64
    status, _, problem, _ = anna.request('PUT', path, body=wrong_hash, headers={'Idempotency-Key': 'k-incomplete'})
    check('a hash that does not match the upload: 422 at /attachments/0/sha256 (the corrected request may reuse its key)',
          status == 422 and [e['pointer'] for e in problem['errors']] == ['/attachments/0/sha256'], problem)

    key = str(uuid.uuid4())
    status, response, accepted, _ = anna.request('PUT', path, body=submission, headers={'Idempotency-Key': key})
    check('a complete submission is accepted: 201, received, with a reference',
          status == 201 and accepted['status'] == 'received' and accepted['reference'].startswith('NUE-'), accepted)
    status, _, keys, _ = anon.request('GET', '/v1/keys')
    receipt = accepted['receipt']
    check('the receipt is signed by the platform key over its content (Ed25519, checked with libsodium)',
          receipt['keyId'] == keys['keys'][0]['keyId'] and verify_receipt(receipt, keys['keys'][0]['publicKey']))
    check('the receipt holds the hashes of form and attachments, and the staff member apart from the applicant',
          receipt['contentHashes']['attachments'][0]['sha256'] == hashlib.sha256(pdf).hexdigest() and
          receipt['staff'] != receipt['account'] and accepted['staff']['name'] == 'Anna Schmidt')
    tampered = dict(receipt, reference='NUE-0000-000000')
    check('a changed receipt no longer verifies', not verify_receipt(tampered, keys['keys'][0]['publicKey']))

    status, response, replay, _ = anna.request('PUT', path, body=submission, headers={'Idempotency-Key': key})
    check('a replay with the same key: the stored answer, marked as replayed',
          status == 201 and replay == accepted and response.getheader('Idempotent-Replayed') == 'true')
    status, _, problem, _ = anna.request('PUT', path, body=dict(submission, language='de'), headers={'Idempotency-Key': key})
    check('the same key with another payload: 422', status == 422 and 'idempotency-key-reused' in problem['type'], problem)
    status, _, problem, _ = anna.request('PUT', path, body=dict(submission, language='de'), headers={'Idempotency-Key': 'k2'})
    check('another submission under an accepted id: 409', status == 409, problem)
    status, _, same, _ = anna.request('PUT', path, body=submission, headers={'Idempotency-Key': 'k3'})
    check('the same submission under a new key: 200, nothing twice', status == 200 and same['id'] == submission_id)
    status, _, listed, _ = anna.request('GET', '/v1/submissions?account=' + account_id)
    check('the office lists the submission once', status == 200 and [s['id'] for s in listed['submissions']] == [submission_id])
    status, _, _, page = anon.request('GET', f'/status/{submission_id}')
    check('the receipt\'s QR code opens the status page: service, reference, status, no personal data',
          status == 200 and same['reference'].encode() in page and b'Eingegangen' in page and
          b'Aufenthaltserlaubnis' in page and 'Yılmaz'.encode() not in page and b'account' not in page.lower(), page[:400])
    status, _, _, page = anon.request('GET', f'/status/{uuid.uuid4()}')
    status2, _, _, page2 = anon.request('GET', '/status/%3Cscript%3E')
    check('an unknown or made-up status link: 404 and "try again later", nothing echoed',
          status == 404 and b'later' in page and status2 == 404 and b'<script>' not in page2, (status, status2))
    status, _, _, _ = bert.request('GET', path)
    check("another office's staff: 403", status == 403)
    status, _, _, _ = anna.request('DELETE', '/v1/uploads/' + passport_upload, headers=TUS)
    check('a submitted document cannot be terminated: 409', status == 409)

    # Events, messages, decisions
    status, _, feed, _ = anna.request('GET', '/v1/events?after=0')
    check('the event feed has the submission received', status == 200 and
          any(e['type'] == 'submission.status' and e['status'] == 'received' and e['submission'] == submission_id
              for e in feed['events']), feed)
    cursor = feed['cursor']
    status, _, other, _ = bert.request('GET', '/v1/events?after=0')
    check("another office's feed does not show it", status == 200 and other['events'] == [], other)

    long_poll = {}

    def poll():
        started = time.monotonic()
        long_poll['answer'] = anna.request('GET', f'/v1/events?after={cursor}&wait=20')
        long_poll['seconds'] = time.monotonic() - started

    thread = threading.Thread(target=poll)
    thread.start()
    time.sleep(0.5)
    asked = platform.caseworker('ask', submission_id, 'Bitte reichen Sie den Arbeitsvertrag nach.')
    thread.join(30)
    status, _, events, _ = long_poll.get('answer', (0, None, {}, b''))
    check('a long poll is answered when the caseworker (another process) asks a question',
          asked.returncode == 0 and status == 200 and long_poll['seconds'] < 5 and
          [e['type'] for e in events['events']] == ['message.created', 'submission.status'] and
          events['events'][1]['status'] == 'question', (asked.stderr, events, long_poll.get('seconds')))
    cursor = events['cursor']
    started = time.monotonic()
    status, _, empty, _ = anna.request('GET', f'/v1/events?after={cursor}&wait=1')
    check('a long poll with nothing new ends after its wait, empty, same cursor',
          status == 200 and empty == {'events': [], 'cursor': cursor} and time.monotonic() - started >= 0.9, empty)

    # Another office's long poll is not answered by this office's events, and waits without spinning.
    def cpu_seconds():
        fields = open(f'/proc/{platform.process.pid}/stat').read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')

    other_poll = {}
    status, _, bert_feed, _ = bert.request('GET', '/v1/events?after=0')
    other = threading.Thread(target=lambda: other_poll.update(
        answer=bert.request('GET', f'/v1/events?after={bert_feed["cursor"]}&wait=3')))
    cpu_before = cpu_seconds()
    other.start()
    time.sleep(0.3)
    anna.request('PUT', f'{path}/messages/{uuid.uuid4()}', body={'text': 'Termin am Montag passt.'})
    other.join(10)
    cpu_used = cpu_seconds() - cpu_before
    status, _, events, _ = other_poll['answer']
    check("another office's long poll ends empty after its wait, and the platform idles meanwhile",
          status == 200 and events['events'] == [] and cpu_used < 0.5, (events, cpu_used))
    status, _, events, _ = anna.request('GET', f'/v1/events?after={cursor}')
    cursor = events['cursor']

    status, _, thread_, _ = anna.request('GET', path + '/messages')
    check('the question is in the thread, to the applicant',
          status == 200 and thread_['messages'][0]['direction'] == 'to-applicant', thread_)
    contract = tus_upload(anna, minimal_pdf('Arbeitsvertrag'))
    message_id = str(uuid.uuid4())
    answer = {'text': 'Der Arbeitsvertrag ist angehängt.', 'attachments': [{'upload': contract[0], 'sha256': contract[1]}]}
    status, _, sent, _ = anna.request('PUT', f'{path}/messages/{message_id}', body=answer)
    status2, _, sent2, _ = anna.request('PUT', f'{path}/messages/{message_id}', body=answer)
    check('an answer with an attachment is sent once: 201, then 200 on replay',
          status == 201 and status2 == 200 and sent == sent2 and sent['direction'] == 'from-applicant', (sent, sent2))
    status, _, problem, _ = anna.request('PUT', f'{path}/messages/{uuid.uuid4()}', body={'text': 'x', 'attachments': [
        {'upload': 'nonexistent-upload', 'sha256': '0' * 64}]})
    check('a message with a missing attachment: 422', status == 422, problem)
    status, _, _, _ = anna.request('GET', path + '/decision')
    check('no decision yet: 404', status == 404)
    rejected = platform.caseworker('reject', submission_id)
    check('a rejection without a reason is refused by the caseworker command', rejected.returncode != 0 and 'reason' in rejected.stderr)
    accepted_cmd = platform.caseworker('accept', submission_id)
    status, _, decision, _ = anna.request('GET', path + '/decision')
    status2, response, _, document = anna.request('GET', decision.get('document', path + '/decision.pdf'))
    check('an accepted decision has a PDF letter whose hash it states',
          accepted_cmd.returncode == 0 and status == 200 and decision['outcome'] == 'accepted' and status2 == 200 and
          document.startswith(b'%PDF') and hashlib.sha256(document).hexdigest() == decision['sha256'], decision)
    status, _, submission_now, _ = anna.request('GET', path)
    check('the submission is decided', submission_now['status'] == 'decided')
    listing = platform.caseworker('list')
    check('caseworker list shows it with its reference', submission_id in listing.stdout and accepted['reference'] in listing.stdout)

    # Bounds
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{uuid.uuid4()}', body=b'{"a":' * 40 + b'1' + b'}' * 40,
                                         headers={'Content-Type': 'application/json'})
    check('JSON nested 40 deep: 422 saying how deep it may go', status == 422 and '32' in problem['detail'], problem)
    # The platform answers at the headers and closes; the client may still be sending.
    with socket.create_connection((platform.host, platform.port), timeout=10) as sock:
        sock.sendall(f'PUT /v1/accounts/{uuid.uuid4()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {anna.token}\r\n'
                     f'Content-Type: application/json\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n'.encode())
        try:
            sock.sendall(b'{"givenNames": "' + b'a' * (2 * 1024 * 1024 - 20) + b'"}')
        except OSError:
            pass
        big = http.client.HTTPResponse(sock)
        big.begin()
        status, problem = big.status, json.loads(big.read())
    check('a 2 MiB JSON body: 413', status == 413, problem)
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{uuid.uuid4()}', body=dict(citizen, familyName='x' * 5000))
    check('a 5000-character name: 422 at /familyName', status == 422 and problem['errors'][0]['pointer'] == '/familyName')
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{uuid.uuid4()}', body=b'{"givenNames": ', headers={'Content-Type': 'application/json'})
    check('truncated JSON: 400 malformed', status == 400 and 'malformed' in problem['type'])
    status, _, problem, _ = anna.request('PUT', f'/v1/accounts/{uuid.uuid4()}', body=b'givenNames=x', headers={'Content-Type': 'text/plain'})
    check('not JSON at all: 415', status == 415)
finally:
    log = platform.stop()

check('the platform stops cleanly on SIGTERM (exit 0; under ASan: no leaks)', platform.returncode == 0,
      platform.stderr[-3000:])
check('every answer matched the OpenAPI document', not openapi.mismatches, '\n'.join(openapi.mismatches[:20]))
documented = sum(len([m for m in item if m in ('get', 'put', 'post', 'patch', 'delete', 'head', 'options')])
                 for item in openapi.spec['paths'].values())
operations_seen = {(m, t) for m, t, _ in openapi.seen}
check(f'the tests reached every documented operation ({len(operations_seen)} of {documented})',
      len(operations_seen) == documented,
      sorted({(m.upper(), t) for t, item in openapi.spec['paths'].items() for m in item
              if m in ('get', 'put', 'post', 'patch', 'delete', 'head', 'options')} - operations_seen))
personal = ['Yılmaz', 'Yilmaz', 'yilmaz', '1988-03-14', 'U12345678', 'anna-secret', 'Königstraße']
check('the request log has requests but no personal data or secrets',
      len(platform.log_lines) > 50 and not any(p in log for p in personal),
      [line for line in log.splitlines() if any(p in line for p in personal)][:5])

sys.exit(results.finish())
