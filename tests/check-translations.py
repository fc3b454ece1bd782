#!/usr/bin/python3
# The languages the counter must have complete (German) carry a translation
# for every string in today's sources: extract a fresh template the way
# meson's glib preset does and compare.
import os
import subprocess
import sys
import tempfile

srcroot = sys.argv[1]
languages = sys.argv[2:]

keywords = [
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_printerr:1:c-format', '--flag=g_print:1:c-format',
]

with tempfile.TemporaryDirectory() as tmp:
    files = os.path.join(tmp, 'POTFILES')
    with open(os.path.join(srcroot, 'po', 'POTFILES.in'), encoding='utf-8') as f, \
         open(files, 'w', encoding='utf-8') as out:
        for line in f:
            if line.strip() and not line.startswith('#'):
                out.write(line)
    pot = os.path.join(tmp, 'servicebuero.pot')
    subprocess.run(['xgettext', '--from-code=UTF-8', '--add-comments', '--package-name=servicebuero',
                    f'--directory={srcroot}', f'--files-from={files}', '-o', pot] + keywords,
                   check=True)

    print(f'1..{len(languages)}')
    failures = 0
    for i, lang in enumerate(languages, 1):
        po = os.path.join(srcroot, 'po', f'{lang}.po')
        cmp = subprocess.run(['msgcmp', po, pot], capture_output=True, text=True)
        stats = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                               capture_output=True, text=True)
        incomplete = 'untranslated' in stats.stderr or 'fuzzy' in stats.stderr
        if cmp.returncode != 0 or stats.returncode != 0 or incomplete:
            failures += 1
            print(f'not ok {i} - {lang}.po is not complete')
            for line in (cmp.stderr + stats.stderr).splitlines()[:40]:
                print(f'# {line}')
            print('# update it with: meson compile -C _build servicebuero-pot servicebuero-update-po')
        else:
            print(f'ok {i} - {lang}.po translates every string ({stats.stderr.strip()})')

sys.exit(1 if failures else 0)
