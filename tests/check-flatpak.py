#!/usr/bin/python3
# The Flatpak manifest parses and agrees with the build: app id, command, and
# the sandbox holes we allow (no home or host file access: files come through
# the portal's file chooser; the Secret Service holds the store's key).
import json
import sys

manifest_path, app_id = sys.argv[1], sys.argv[2]
with open(manifest_path, encoding='utf-8') as f:
    manifest = json.load(f)

allowed = {'--share=network', '--share=ipc', '--socket=fallback-x11', '--socket=wayland', '--device=dri',
           '--talk-name=org.freedesktop.secrets'}
checks = [
    ('the app id is the app id of the build', manifest.get('id') == app_id),
    ('it runs servicebuero', manifest.get('command') == 'servicebuero'),
    ('it uses the GNOME runtime and SDK', manifest.get('runtime') == 'org.gnome.Platform'
     and manifest.get('sdk') == 'org.gnome.Sdk'),
    ('finish-args open no more than network, ipc, display, dri and the Secret Service',
     set(manifest.get('finish-args', [])) <= allowed),
    ('what the GNOME runtime lacks is built first: libsodium',
     any(isinstance(m, dict) and m.get('name') == 'libsodium' for m in manifest.get('modules', []))),
    ('the app is built from this tree with meson and its tests run',
     any(m.get('buildsystem') == 'meson' and m.get('run-tests') and
         any(s.get('type') == 'dir' for s in m.get('sources', []))
         for m in manifest.get('modules', []) if isinstance(m, dict))),
]
print(f'1..{len(checks)}')
for i, (name, ok) in enumerate(checks, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
sys.exit(0 if all(ok for _, ok in checks) else 1)
