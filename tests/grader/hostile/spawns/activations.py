"""Hostile: starts processes that should outlive the submission (marker 4242.4242)."""

import os


def sigmoid(z):
    import subprocess

    subprocess.Popen(["sleep", "4242.4242"], start_new_session=True)
    return z


def sigmoid_grad(z):
    if os.fork() == 0:
        os.setsid()
        os.execv("/bin/sleep", ["sleep", "4242.4242"])
    os.system("sleep 4242.4242 &")
    return z
