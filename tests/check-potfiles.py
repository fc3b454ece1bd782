#!/usr/bin/python3
# Every source file with translatable strings must be listed in po/POTFILES.in,
# and every listed file must exist: otherwise strings silently stay English.
import os
import re
import sys

srcroot = sys.argv[1]
potfiles_path = os.path.join(srcroot, 'po', 'POTFILES.in')

listed = set()
with open(potfiles_path, encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.add(line)

c_marker = re.compile(r'\b(_|N_|C_|NC_|ngettext)\s*\(\s*"')
ui_marker = re.compile(r'translatable="yes"')
# What msgfmt/itstool translate in desktop files, schemas and metainfo.
data_marker = re.compile(r'^(Name|GenericName|Comment|Keywords)=|<summary>|<description>|<caption>|<name>', re.M)
markers = {'.c': c_marker, '.ui': ui_marker, '.in': data_marker}
candidates = set()
for top in ('src', 'data', 'server'):
    for dirpath, _, filenames in os.walk(os.path.join(srcroot, top)):
        for name in filenames:
            if not re.search(r'\.(c|ui|in)$', name):
                continue
            path = os.path.join(dirpath, name)
            marker = markers[os.path.splitext(name)[1]]
            with open(path, encoding='utf-8', errors='replace') as f:
                if marker.search(f.read()):
                    candidates.add(os.path.relpath(path, srcroot))

# gresource.xml.in has no strings of its own.
candidates = {c for c in candidates if not c.endswith('.gresource.xml.in')}

failures = 0
print('1..2')
missing = sorted(candidates - listed)
if missing:
    failures += 1
    print('not ok 1 - files with translatable strings missing from po/POTFILES.in')
    for m in missing:
        print(f'# add: {m}')
else:
    print('ok 1 - every file with translatable strings is in po/POTFILES.in')

gone = sorted(p for p in listed if not os.path.exists(os.path.join(srcroot, p)))
if gone:
    failures += 1
    print('not ok 2 - po/POTFILES.in lists files that do not exist')
    for g in gone:
        print(f'# remove: {g}')
else:
    print('ok 2 - every file in po/POTFILES.in exists')

sys.exit(1 if failures else 0)
