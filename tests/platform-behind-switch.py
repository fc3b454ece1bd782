#!/usr/bin/python3
# Stands in for servicebuero-platform where the app starts its demo
# platform (SB_PLATFORM_BINARY): runs the real one, and puts a relay in
# front of it that the test switches off and on. While the file named by
# SB_PLATFORM_SWITCH exists, the relay takes connections and closes them at
# once, as a network that is down does; without it, bytes pass both ways.
# The demo's own caseworker is slowed to a crawl: the test plays the
# caseworker with the platform's command line.
import os
import socket
import subprocess
import sys
import threading

real = os.environ['SB_REAL_PLATFORM']
switch = os.environ['SB_PLATFORM_SWITCH']
args = [a for a in sys.argv[1:]]
child = subprocess.Popen([real, *args, '--demo-pace=100000'], stdout=subprocess.PIPE, text=True)
line = child.stdout.readline()
if not line.startswith('Listening on '):
    sys.stdout.write(line)
    sys.exit(1)
target_host, target_port = line.strip().rsplit('/', 1)[-1].rsplit(':', 1)
target = (target_host, int(target_port))


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listener):
    while True:
        client, _ = listener.accept()
        if os.path.exists(switch):
            client.close()
            continue
        try:
            upstream = socket.create_connection(target)
        except OSError:
            client.close()
            continue
        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(('127.0.0.1', 0))
listener.listen(64)
threading.Thread(target=serve, args=(listener,), daemon=True).start()
print(f'Listening on http://127.0.0.1:{listener.getsockname()[1]}', flush=True)
with open(os.environ.get('SB_PLATFORM_URL_FILE', os.devnull), 'w') as f:
    f.write(line.split(' ', 2)[2].strip())
# The app closes our standard input when it quits; the platform shares it.
try:
    sys.stdin.read()
finally:
    child.terminate()
    child.wait()
