#!/usr/bin/python3
# servicebuero-ctl validate: a service form's JSON Schema against data, the
# errors as JSON Schema's "basic" output with instance and schema pointers.
import json
import os
import subprocess
import sys
import tempfile

ctl, catalogue = sys.argv[1:3]
env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C')
results = []


def check(name, ok, detail=''):
    results.append((name, ok, detail))


with open(catalogue) as f:
    services = {s['id']: s for s in json.load(f)['services']}
extension = services['aufenthaltserlaubnis-verlaengern']['form']
good = {'permitNumber': 'C01X00T47', 'permitExpiry': '2027-01-31', 'purpose': 'study',
        'address': {'street': 'Hauptmarkt', 'houseNumber': '1', 'postalCode': '90403', 'city': 'Nürnberg'}}

with tempfile.TemporaryDirectory() as tmp:
    def write(name, value):
        path = os.path.join(tmp, name)
        with open(path, 'w') as f:
            f.write(value if isinstance(value, str) else json.dumps(value))
        return path

    def run(*args):
        return subprocess.run([ctl, 'validate', *args], capture_output=True, text=True, env=env, timeout=30)

    schema = write('schema.json', extension)
    r = run(schema, write('good.json', good))
    out = json.loads(r.stdout) if r.stdout else {}
    check('valid data: exit 0, {"valid": true, "errors": []}', r.returncode == 0 and out == {'valid': True, 'errors': []},
          r.stdout + r.stderr)

    bad = dict(good, permitNumber='x1', purpose='employment', email='',
               address=dict(good['address'], postalCode='9040'))
    del bad['permitExpiry']
    r = run(schema, write('bad.json', bad))
    out = json.loads(r.stdout) if r.stdout else {}
    found = {(e['instanceLocation'], e['keywordLocation']) for e in out.get('errors', [])}
    check('invalid data: exit 1, each error with its instance and schema pointer',
          r.returncode == 1 and out['valid'] is False and found == {
              ('/permitExpiry', '/required'),
              ('/permitNumber', '/properties/permitNumber/pattern'),
              ('/address/postalCode', '/properties/address/properties/postalCode/pattern'),
              ('/employer', '/then/required')} and all(e['error'] for e in out['errors']), r.stdout + r.stderr)
    check('a blank field counts as not given, as in the app and the platform ("email": "" is no error)',
          all(e['instanceLocation'] != '/email' for e in out.get('errors', [])), r.stdout)

    r = run('--keep-blank', schema, write('blank.json', dict(good, email='')))
    out = json.loads(r.stdout) if r.stdout else {}
    check('--keep-blank checks the empty text as given: not an e-mail address',
          r.returncode == 1 and [e['keywordLocation'] for e in out['errors']] == ['/properties/email/format'], r.stdout)

    for service_id, service in sorted(services.items()):
        r = run(write(f'{service_id}.json', service['form']), write('empty.json', {}))
        out = json.loads(r.stdout) if r.stdout else {}
        check(f'the demo catalogue\'s "{service_id}" form is a schema the validator takes; {{}} misses what it requires',
              r.returncode == (1 if service['form'].get('required') else 0) and
              {e['instanceLocation'] for e in out['errors']} == {'/' + n for n in service['form'].get('required', [])} |
              ({''} if 'oneOf' in service['form'] else set()),  # nothing chosen: the alternatives as a whole
              r.stdout + r.stderr)

    r = run(write('unsupported.json', {'type': 'object', 'patternProperties': {'^x': {}}}), write('x.json', {}))
    check('a keyword the validator does not claim: exit 2 and where it is, nothing on stdout',
          r.returncode == 2 and r.stdout == '' and '/patternProperties' in r.stderr, r.stderr)

    r = run(schema, write('broken.json', '{"permitNumber": '))
    check('data that is not JSON: exit 2 and which file', r.returncode == 2 and 'broken.json' in r.stderr, r.stderr)

    r = run(schema)
    check('one file only is a usage error', r.returncode == 2 and '--help' in r.stderr, r.stderr)

print(f'1..{len(results)}')
for number, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {number} - {name}')
    if not ok:
        for line in str(detail).splitlines()[:30]:
            print(f'#   {line}')
