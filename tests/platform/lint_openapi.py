#!/usr/bin/python3
# The OpenAPI document lints clean with Redocly's recommended rules
# (@redocly/cli from npm, on the machine's Node.js).
#   lint_openapi.py NODE_MODULES_DIR
import os
import shutil
import subprocess
import sys

node_modules = os.path.abspath(sys.argv[1])
api = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'docs', 'api')
cli = os.path.join(node_modules, '@redocly', 'cli', 'bin', 'cli.js')
node = shutil.which('node')

if node is None or not os.path.exists(cli):
    reason = 'Node.js or @redocly/cli is missing (build-aux/run-tests installs them from npm)'
    if os.environ.get('SB_TESTS_NO_SKIP'):
        print(f'1..1\nnot ok 1 - {reason}')
        sys.exit(1)
    print(f'1..0 # SKIP {reason}')
    sys.exit(0)

r = subprocess.run([node, cli, 'lint', '--format', 'stylish', '--config', os.path.join(api, 'redocly.yaml'),
                    os.path.join(api, 'platform-v1.yaml')],
                   capture_output=True, text=True, timeout=120, env=dict(os.environ, REDOCLY_TELEMETRY='off',
                                                                         REDOCLY_SUPPRESS_UPDATE_NOTICE='true'))
output = r.stdout + r.stderr
# Warnings end in "You have N warnings"; Node.js deprecation notices do not count.
clean = r.returncode == 0 and 'Your API description is valid' in output and 'You have' not in output
print('1..1')
print(f'{"ok" if clean else "not ok"} 1 - docs/api/platform-v1.yaml lints clean (no errors, no warnings)')
if not clean:
    for line in output.splitlines()[:40]:
        print('# ' + line)
sys.exit(0 if clean else 1)
