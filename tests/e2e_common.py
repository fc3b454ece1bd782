# What the end-to-end tests share: a display or a skip, the accessibility
# bus, waiting, walking the accessibility tree, and TAP output.
import os
import subprocess
import sys
import time


def require_display():
    """Skip (or fail, with SB_TESTS_NO_SKIP) where there is no X display."""
    if os.environ.get('DISPLAY'):
        return
    if os.environ.get('SB_TESTS_NO_SKIP'):
        print('1..1\nnot ok 1 - cannot run: no X display')
        sys.exit(1)
    print('1..0 # SKIP no X display')
    sys.exit(0)


def start_atspi_bus():
    return subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return None


def descendants(node, visible_only=False):
    """@node and everything below it; with @visible_only, a hidden widget is skipped with all it holds.
    (GTK 4.8 says "visible" of a widget's own flag: the pages a stack does not show still count.)"""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        try:
            children = [child for child in current if child is not None]
        except Exception:
            continue
        if visible_only:
            children = [child for child in children if showing(child)]
        stack.extend(children)


def role_and_name(node):
    """An object may be gone by the time it is asked: then ('', '')."""
    try:
        return node.getRoleName(), node.name or ''
    except Exception:
        return '', ''


def has_state(node, state):
    try:
        return node.getState().contains(state)
    except Exception:
        return False


def key(*keys, pause=0.3):
    """Real key presses (xdotool), then a moment for the app to react."""
    subprocess.run(['xdotool', 'key', '--clearmodifiers', *keys], check=False)
    time.sleep(pause)


def sane_test_device(folder, picture='Grid'):
    """A SANE configuration with only the test backend's one device, A4, showing @picture.
    Returns the folder for SANE_CONFIG_DIR."""
    sane = os.path.join(folder, 'sane')
    os.makedirs(sane)
    with open(os.path.join(sane, 'dll.conf'), 'w') as f:
        f.write('test\n')
    with open(os.path.join(sane, 'test.conf'), 'w') as f:
        f.write(f'number_of_devices 1\ngeometry_max 300.0\nbr_x 210.0\nbr_y 297.0\ntest-picture "{picture}"\n')
    return sane


results = []


started = time.monotonic()


def check(name, ok, detail=''):
    """Records a result (said on stderr at once, with the seconds since the test began, for a run being
    watched); report() prints them all."""
    results.append((name, bool(ok), detail))
    print(f'{"ok" if ok else "FAILED"} at {time.monotonic() - started:.1f} s: {name}', file=sys.stderr, flush=True)
    return ok


def showing(node):
    """GTK 4.8 sets no "showing" state on the accessibility bus; "visible" is the widget's own."""
    import pyatspi  # only once the accessibility bus runs
    return has_state(node, pyatspi.STATE_VISIBLE)


def find(root, role, text, exact=False, visible=True):
    """The first object below @root with @role whose name is (or holds) @text."""
    for node in descendants(root):
        r, n = role_and_name(node)
        if r == role and (n == text if exact else text in n) and (not visible or showing(node)):
            return node
    return None


def type_text(text, delay=15):
    """Real typing (xdotool), then a moment for the app to react."""
    subprocess.run(['xdotool', 'type', '--delay', str(delay), text], check=False)
    time.sleep(0.3)


def screenshot(folder, name):
    """The whole screen as @folder/@name, when the test was given a folder for them."""
    if folder:
        subprocess.run(['import', '-window', 'root', os.path.join(folder, name)], check=False)


def report(results=results):
    """Prints (name, ok, detail) results as TAP and exits with their verdict."""
    print(f'1..{len(results)}')
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {i} - {name}')
        if not ok and detail:
            for line in str(detail).splitlines():
                print(f'# {line}')
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)
