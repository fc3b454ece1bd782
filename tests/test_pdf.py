#!/usr/bin/python3
# servicebuero-ctl pdf on real page images, checked with qpdf, pdfimages,
# pdftoppm and pdftotext-free byte comparisons.
import hashlib
import os
import random
import re
import subprocess
import sys
import tempfile

ctl = sys.argv[1]
results = []


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def run(*args, env=None):
    return subprocess.run(args, capture_output=True, env=env, timeout=120)


def pdf(*args, env=None):
    return run(ctl, 'pdf', *args, env=env)


def images_of(path):
    out = run('pdfimages', '-list', path).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]

    def size(text):
        factor = {'B': 1, 'K': 1024, 'M': 1024 * 1024}[text[-1]]
        return float(text[:-1]) * factor

    return [{'width': int(r[3]), 'height': int(r[4]), 'color': r[5], 'bpc': int(r[7]), 'enc': r[8],
             'bytes': size(r[14])} for r in rows]


def mean_gray(path, page):
    out = run('pdftoppm', '-r', '25', '-gray', '-f', str(page), '-l', str(page), path).stdout
    # P5 header: magic, width height, maxval, then the pixels
    header, _, rest = out.partition(b'\n')
    size, _, rest = rest.partition(b'\n')
    _, _, pixels = rest.partition(b'\n')
    return sum(pixels) / (255.0 * len(pixels))


with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    words = ('Antrag Aufenthaltserlaubnis Verlängerung Arbeitgeber Nachweis Einkommen Wohnung Mietvertrag '
             'Krankenversicherung Reisepass Meldebescheinigung Fiktionsbescheinigung Ausländerbehörde Nürnberg '
             'Unterlagen vollständig Schalter geprüft Termin Gebühr Bescheid Rückfrage Sachbearbeitung').split()
    rng = random.Random(4)
    lines = ['Antrag auf Verlängerung der Aufenthaltserlaubnis', 'Name: Olena Kovalenko, geboren am 17.05.1990']
    lines += [' '.join(rng.choice(words) for _ in range(7)) for _ in range(40)]
    draw = []
    for i, line in enumerate(lines):
        draw += ['-annotate', f'+200+{300 + i * 70}', line]
    run('convert', '-size', '2480x3508', 'xc:white', '-font', 'DejaVu-Sans', '-pointsize', '40', '-fill', 'black',
        *draw, '-colorspace', 'Gray', '-depth', '8',
        # what a scanner adds: sensor noise and a little blur
        '-attenuate', '0.3', '+noise', 'Gaussian', '-blur', '0x0.6',
        '-density', '300', '-units', 'PixelsPerInch', path('text.png'))
    run('convert', '-size', '1011x638', 'plasma:red-blue', '-font', 'DejaVu-Sans', '-pointsize', '36',
        '-fill', 'white', '-annotate', '+40+80', 'AUFENTHALTSTITEL', '-density', '300', '-units', 'PixelsPerInch',
        '-quality', '75', path('card.jpg'))
    run('convert', '-size', '1011x638', 'plasma:red-blue', '-fill', 'yellow', '-draw', 'rectangle 600,300 1000,630',
        '-density', '300', '-units', 'PixelsPerInch', path('card.png'))
    run('convert', '-size', '1240x1754', 'gradient:gray20-gray90', '-attenuate', '0.4', '+noise', 'Gaussian',
        '-colorspace', 'Gray', '-density', '150', '-units', 'PixelsPerInch', path('gray.png'))
    open(path('not-an-image.jpg'), 'wb').write(b'this is a text file, not a scan\n' * 10)
    check('test images were made with ImageMagick',
          all(os.path.getsize(path(n)) > 1000 for n in ('text.png', 'card.jpg', 'gray.png')))

    env = dict(os.environ, SOURCE_DATE_EPOCH='1796400000', LC_ALL='C.UTF-8', LANGUAGE='C')
    r = pdf('--pdfa', '--title', 'Nachweise Kovalenko', '-o', path('a.pdf'),
            path('text.png'), path('card.jpg'), path('gray.png'), env=env)
    check('auto mode makes a PDF of three pages', r.returncode == 0 and os.path.exists(path('a.pdf')),
          r.stderr.decode())

    q = run('qpdf', '--check', path('a.pdf'))
    check('qpdf --check finds nothing wrong', q.returncode == 0 and b'No syntax or stream encoding errors' in q.stdout,
          q.stdout.decode() + q.stderr.decode())

    imgs = images_of(path('a.pdf'))
    check('the text page is CCITT G4, one bit deep', len(imgs) == 3 and imgs[0]['enc'] == 'ccitt' and imgs[0]['bpc'] == 1,
          repr(imgs))
    check('the ID card stays a colour JPEG', len(imgs) == 3 and imgs[1]['enc'] == 'jpeg' and imgs[1]['color'] == 'rgb',
          repr(imgs))
    check('the gray page becomes a gray JPEG', len(imgs) == 3 and imgs[2]['enc'] == 'jpeg' and imgs[2]['color'] == 'gray',
          repr(imgs))

    # JPEG passthrough: the card's stream is the file, byte for byte.
    run('pdfimages', '-f', '2', '-l', '2', '-j', path('a.pdf'), path('x'))
    extracted = [n for n in os.listdir(tmp) if n.startswith('x-') and n.endswith('.jpg')]
    same = extracted and open(path(extracted[0]), 'rb').read() == open(path('card.jpg'), 'rb').read()
    check('the JPEG is passed through byte for byte', same, repr(extracted))

    data = open(path('a.pdf'), 'rb').read()
    pdf('--mode', 'gray', '-o', path('text-gray.pdf'), path('text.png'), env=env)
    gray_imgs = images_of(path('text-gray.pdf'))
    check('bilevel makes the text page less than a third of its gray JPEG',
          imgs and gray_imgs and imgs[0]['bytes'] * 3 < gray_imgs[0]['bytes'], repr((imgs[:1], gray_imgs)))
    check('PDF/A-2b: XMP names part 2, conformance B',
          b'<pdfaid:part>2</pdfaid:part>' in data and b'<pdfaid:conformance>B</pdfaid:conformance>' in data)
    check('PDF/A-2b: an sRGB output intent with an ICC profile',
          re.search(rb'/OutputIntents \[<< /Type /OutputIntent /S /GTS_PDFA1 [^>]*/DestOutputProfile \d+ 0 R', data)
          is not None)
    check('the XMP dates and the document information agree',
          b'<xmp:CreateDate>2026-12-04T' in data and b'/CreationDate (D:20261204' in data)
    check('the title is in the XMP and, in any script, in the document information',
          b'Nachweise Kovalenko' in data and b'/Title <FEFF' in data)
    check('there is a file identifier and no encryption', b'/ID [<' in data and b'/Encrypt' not in data)

    # Pages keep their physical size: A4 at 300 dpi, A4 at 150 dpi, ID-1 at 300 dpi.
    info = run('pdfinfo', '-f', '1', '-l', '3', path('a.pdf')).stdout.decode()
    sizes = re.findall(r'Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts', info)
    check('pages keep their physical size (A4, A4, ID-1)',
          len(sizes) == 3 and abs(float(sizes[0][0]) - 595.2) < 1 and abs(float(sizes[1][0]) - 242.6) < 1
          and abs(float(sizes[2][1]) - 842.0) < 1.5, repr(sizes))

    white = mean_gray(path('a.pdf'), 1)
    check('the text page renders as black on white, not inverted', white > 0.9, str(white))

    r2 = pdf('--pdfa', '--title', 'Nachweise Kovalenko', '-o', path('b.pdf'),
             path('text.png'), path('card.jpg'), path('gray.png'), env=env)
    check('the same pages and settings give the same bytes',
          r2.returncode == 0 and hashlib.sha256(data).digest() == hashlib.sha256(open(path('b.pdf'), 'rb').read()).digest())

    r = pdf('-o', path('card.pdf'), path('card.png'), env=env)
    ppm = run('pdftoppm', '-r', '72', path('card.pdf')).stdout
    magic, _, rest = ppm.partition(b'\n')
    dims, _, rest = rest.partition(b'\n')
    _, _, pixels = rest.partition(b'\n')
    width = int(dims.split()[0])
    y, x = 130, 220   # inside the yellow rectangle at 72 dpi
    rgb = tuple(pixels[(y * width + x) * 3:(y * width + x) * 3 + 3])
    check('a re-encoded colour page keeps its colours (yellow stays yellow)',
          r.returncode == 0 and images_of(path('card.pdf'))[0]['enc'] == 'jpeg'
          and rgb[0] > 220 and rgb[1] > 220 and rgb[2] < 60, repr(rgb))

    # The invisible text layer: searchable, where the words are, in an embedded font.
    r = pdf('--ocr', '--pdfa', '-o', path('ocr.pdf'), path('text.png'), env=env)
    text = run('pdftotext', path('ocr.pdf'), '-').stdout.decode()
    check('--ocr makes the page searchable (German words, umlauts included)',
          r.returncode == 0 and 'Aufenthaltserlaubnis' in text and 'Kovalenko' in text and 'Verlängerung' in text,
          r.stderr.decode() + text[:300])
    bbox = run('pdftotext', '-bbox', path('ocr.pdf'), '-').stdout.decode()
    match = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>Antrag</word>', bbox)
    check('the recognised words lie over the printed ones',
          match and abs(float(match.group(1)) - 48.0) < 3 and abs(float(match.group(2)) - 65.0) < 6,
          match.group(0) if match else bbox[:300])
    fonts = run('pdffonts', path('ocr.pdf')).stdout.decode()
    check('the text layer\'s font is embedded, with a Unicode map (PDF/A)',
          re.search(r'GlyphLessFont\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes', fonts) is not None, fonts)
    q = run('qpdf', '--check', path('ocr.pdf'))
    check('qpdf --check finds nothing wrong with the text layer', q.returncode == 0, q.stdout.decode())

    r = pdf('--mode', 'bw', '-o', path('bw.pdf'), path('card.jpg'))
    imgs = images_of(path('bw.pdf'))
    check('--mode bw makes even a colour page bilevel', r.returncode == 0 and imgs and imgs[0]['bpc'] == 1, repr(imgs))
    plain = open(path('bw.pdf'), 'rb').read()
    check('without --pdfa there is no PDF/A metadata', b'pdfaid' not in plain and b'/OutputIntents' not in plain)

    r = pdf('--mode', 'gray', '-o', path('g.pdf'), path('card.jpg'))
    imgs = images_of(path('g.pdf'))
    check('--mode gray re-encodes a colour JPEG as gray', r.returncode == 0 and imgs and imgs[0]['color'] == 'gray',
          repr(imgs))

    r = pdf('-o', path('bad.pdf'), path('card.jpg'), path('not-an-image.jpg'), env=env)
    check('a file that is no image is named, explained, and nothing is written',
          r.returncode == 1 and b'not-an-image.jpg' in r.stderr and b'not an image' in r.stderr
          and not os.path.exists(path('bad.pdf')), r.stderr.decode())

    r = pdf('-o', path('x.pdf'), path('missing.png'), env=env)
    check('a missing file is named', r.returncode == 1 and b'missing.png' in r.stderr, r.stderr.decode())

    r = pdf('-o', path('x.pdf'), env=env)
    check('no images is a usage error', r.returncode == 2 and b'at least one image' in r.stderr, r.stderr.decode())

    r = pdf('--mode', 'sepia', '-o', path('x.pdf'), path('card.jpg'), env=env)
    check('an unknown mode is a usage error that lists the modes', r.returncode == 2 and b'auto, color, gray' in r.stderr,
          r.stderr.decode())

print(f'1..{len(results)}')
for i, (name, ok, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {i} - {name}')
    if not ok:
        for line in str(detail).splitlines()[:20]:
            print(f'# {line}')
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
