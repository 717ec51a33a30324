"""The submission's files as the sandbox gets them: read by the trusted side, copied in.

Only regular files named in assignment.json are read: no symbolic links (a link to the
solutions would otherwise be followed by the grader), no FIFOs or devices (a FIFO would block
the reader), at most MAX_SOURCE_BYTES each. The bytes are then copied into the child's private
tmpfs; the submission's folder itself is never shown to the child.
"""

import os
import shutil
import stat
import tempfile

MAX_SOURCE_BYTES = 1_000_000
MAX_NOTEBOOK_BYTES = 20_000_000  # a notebook carries its outputs (plots) too; only code is kept
GRADER_DIR = os.path.dirname(os.path.abspath(__file__))
BOOT_FILES = {"nnlab_sandbox_protocol.py": "protocol.py", "nnlab_sandbox_child.py": "child.py"}


def read_file(path, limit=MAX_SOURCE_BYTES):
    """(bytes, None) for a regular file of at most `limit` bytes, else (None, problem)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, "missing"
    except OSError as error:
        if os.path.islink(path):
            return None, "is a symbolic link; submit the file itself"
        return None, f"cannot be read ({error.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "is not a regular file"
        if info.st_size > limit:
            return None, f"is {info.st_size} bytes; the limit is {limit}"
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        return None, f"is more than {limit} bytes"
    return data, None


def read_submission(submission_dir, files):
    """({name: bytes}, {name: problem}) for the assignment's files in submission_dir."""
    contents, problems = {}, {}
    for name in files:
        data, problem = read_file(os.path.join(submission_dir, name))
        if problem is None:
            contents[name] = data
        else:
            problems[name] = problem
    return contents, problems


def boot_sources():
    """{name inside the sandbox: bytes} of the child's own code."""
    sources = {}
    for inside, here in BOOT_FILES.items():
        with open(os.path.join(GRADER_DIR, here), "rb") as handle:
            sources[inside] = handle.read()
    return sources


def trusted_workspace(contents):
    """For trusted code only: a temporary folder with boot/ (child code) and work/ (files)."""
    root = tempfile.mkdtemp(prefix="nnlab-trusted-")
    boot = os.path.join(root, "boot")
    work = os.path.join(root, "work")
    os.mkdir(boot, 0o755)
    os.mkdir(work, 0o700)
    for name, data in boot_sources().items():
        with open(os.path.join(boot, name), "wb") as handle:
            handle.write(data)
    for name, data in contents.items():
        with open(os.path.join(work, name), "wb") as handle:
            handle.write(data)
    return root, boot, work


def remove(root):
    shutil.rmtree(root, ignore_errors=True)
