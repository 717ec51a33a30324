"""The sandbox's folders: a fresh working copy of the submission plus the child's code.

    root/            0755, owned by the grader, removed when the child is killed
    root/boot/       protocol.py and child.py (as nnlab_sandbox_*.py), read-only for the child
    root/work/       0700, owned by the sandbox user: copies of the submission's files only

Only regular files named in assignment.json are copied: no symbolic links (a link to the
solutions would otherwise be followed by the grader), at most MAX_SOURCE_BYTES each.
"""

import os
import shutil
import tempfile

MAX_SOURCE_BYTES = 1_000_000


def check_files(submission_dir, files):
    """{file name: problem} for expected files that are missing or are symbolic links."""
    problems = {}
    for name in files:
        path = os.path.join(submission_dir, name)
        if os.path.islink(path):
            problems[name] = "is a symbolic link; submit the file itself"
        elif not os.path.exists(path):
            problems[name] = "missing"
    return problems


def prepare_workspace(submission_dir, files, problems):
    """Create root, boot and work folders; copies files, adding to problems what fails."""
    root = tempfile.mkdtemp(prefix="nnlab-sandbox-")
    os.chmod(root, 0o755)
    boot = os.path.join(root, "boot")
    workdir = os.path.join(root, "work")
    os.mkdir(boot, 0o755)
    os.mkdir(workdir, 0o700)
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copyfile(os.path.join(here, "protocol.py"), f"{boot}/nnlab_sandbox_protocol.py")
    shutil.copyfile(os.path.join(here, "child.py"), f"{boot}/nnlab_sandbox_child.py")
    for name in files:
        if name in problems:
            continue
        problem = copy_submission_file(
            os.path.join(submission_dir, name), os.path.join(workdir, name)
        )
        if problem:
            problems[name] = problem
    return root, boot, workdir


def copy_submission_file(source, target):
    """Copy one regular file (no symlinks, size-capped); returns an error text or None."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return f"cannot be read ({error.strerror}; symbolic links are not accepted)"
    try:
        info = os.fstat(fd)
        if not (info.st_mode & 0o170000 == 0o100000):
            return "is not a regular file"
        if info.st_size > MAX_SOURCE_BYTES:
            return f"is {info.st_size} bytes; the limit is {MAX_SOURCE_BYTES}"
        data = os.read(fd, MAX_SOURCE_BYTES + 1)
    finally:
        os.close(fd)
    with open(target, "wb") as handle:
        handle.write(data)
    return None


def python_read_roots():
    """Folders the child may read: the Python installation (stdlib and site-packages)."""
    import sysconfig

    paths = sysconfig.get_paths()
    roots = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    return sorted(os.path.realpath(p) for p in roots if p)
