"""The sandbox boundary: every run of untrusted code happens inside bubblewrap (`bwrap`).

What the sandboxed child sees is an allow-list, read-only unless said otherwise:

    /usr/lib, /usr/lib64, /lib, /lib64   shared libraries (as on the host), /etc/ld.so.cache
    the interpreter                      its executable, libpython, its standard library, with
                                         every site-packages folder inside it masked empty
    /nnlab                               the child's own code (protocol, child), copied in
    /nnlab/packages                      the allowed packages (numpy): their folders and bundled
                                         libraries (numpy.libs), bound from wherever they are
                                         installed; the child's paths are /nnlab/packages/...,
                                         but /proc/self/mountinfo still names each bound
                                         folder's host path (a venv inside the repository shows
                                         that folder's path there, and no other of the repository)
    /submission                          the submission's files, a private tmpfs (read-write)
    /tmp, /dev/shm                       private tmpfs (read-write), sized
    /proc                                of its own PID namespace; /dev minimal, read-only

and nothing else: not the repository, the assignment's solutions and hidden tests, other
submissions, the grader's output, the caller's home or environment variables. The child runs
in new user (without root), mount, PID, IPC, UTS, network and cgroup namespaces, in a new
session, dies with its parent, with no capabilities and no_new_privs, under resource limits
(prlimit) and, as root, in its own cgroup (memory incl. tmpfs, processes) with a uid that no
other live sandbox has.

How bwrap is started depends on who runs the grader; a probe picks it once per process:

    privileged    root with CAP_SYS_ADMIN: bwrap sets up the namespaces as root; inside,
                  setpriv drops to the leased uid (no capabilities, empty bounding set).
    userns-root   root without CAP_SYS_ADMIN (a container): setpriv drops to the leased uid
                  first, then bwrap builds the sandbox in a user namespace.
    userns        not root (a TA's laptop): bwrap in a user namespace; on the host the child
                  keeps the caller's uid and is kept apart from other sandboxes by its
                  namespaces.
    ...-noproc    userns-root or userns inside a container whose masked /proc makes the
                  kernel refuse a new procfs and whose seccomp profile refuses sethostname
                  (Podman's defaults; Gradescope-like images): the same sandbox with no /proc
                  at all and the container's host name. The child then sees fewer things, not
                  more; tried only after the full form failed.

If no way works, SandboxUnavailable says why and how to fix it. There is no fallback to less
isolation.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import threading
import time
from dataclasses import dataclass, field

FIX = (
    "Install bubblewrap (Debian/Ubuntu: `apt-get install bubblewrap`) and allow user "
    "namespaces (`sysctl kernel.unprivileged_userns_clone=1`; in Docker, a seccomp profile "
    "that allows unshare/clone of namespaces, or run the grader as root with CAP_SYS_ADMIN). "
    "Only for code you trust: --trust-submissions runs it without the sandbox."
)
MODES = ("privileged", "userns-root", "userns-root-noproc", "userns", "userns-noproc")
NO_PROC = "-noproc"
MODE_VARIABLE = "NNLAB_SANDBOX_MODE"  # set by a trusted parent that already probed the mode
WORKDIR = "/submission"  # the child's folder inside the sandbox
PACKAGES = "/nnlab/packages"  # where the allowed packages appear inside the sandbox
PROBE_TIMEOUT = 30.0


def base_mode(mode):
    """privileged, userns-root or userns: how bwrap is started ("-noproc" says what it mounts)."""
    return mode.removesuffix(NO_PROC)


class HarnessError(RuntimeError):
    """The grader itself could not run (not the student's fault); grading stops."""


class SandboxUnavailable(HarnessError):
    """bubblewrap cannot set up the sandbox on this machine (the message says why and how)."""


def is_root():
    return os.geteuid() == 0


def _tool(name):
    override = os.environ.get(f"NNLAB_{name.upper()}")  # e.g. NNLAB_BWRAP=/opt/bin/bwrap
    path = override or shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin")
    if path is None or not os.access(path, os.X_OK):
        raise SandboxUnavailable(f"`{name}` was not found. {FIX}")
    return os.path.realpath(path)


def _real(path):
    return os.path.realpath(path)


def _inside(path, folder):
    path, folder = _real(path), _real(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


@dataclass
class AllowList:
    """Host paths the child may read (bound read-only at the same path) and how."""

    binds: list = field(default_factory=list)  # (source, target) read-only bind mounts
    symlinks: list = field(default_factory=list)  # (link target, path) as on the host
    masks: list = field(default_factory=list)  # folders covered by an empty read-only tmpfs
    python: str = ""  # the interpreter's executable
    sys_path: list = field(default_factory=list)  # the child's sys.path after its own folders
    host_sys_path: list = field(default_factory=list)  # the same, for a child run unsandboxed

    def sources(self):
        return [source for source, _ in self.binds]


def _site_folders():
    folders = set()
    try:
        folders.update(site.getsitepackages())
    except AttributeError:  # some embedded/virtualenv builds lack it
        pass
    user = site.getusersitepackages() if hasattr(site, "getusersitepackages") else None
    if user:
        folders.add(user)
    for key in ("purelib", "platlib"):
        folders.add(sysconfig.get_path(key))
    folders.update(path for path in sys.path if path.endswith(("site-packages", "dist-packages")))
    return sorted({_real(path) for path in folders if path and os.path.isdir(path)})


def allow_list(packages=("numpy",)):
    """What the child needs to run Python with the given packages, and nothing more."""
    allowed = AllowList()
    for folder in ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32"):
        if os.path.islink(folder):
            allowed.symlinks.append((os.readlink(folder), folder))
        elif os.path.isdir(folder):
            allowed.binds.append((folder, folder))
    if os.path.isfile("/etc/ld.so.cache"):
        allowed.binds.append(("/etc/ld.so.cache", "/etc/ld.so.cache"))
    python = _real(sys.executable)
    allowed.python = python
    if not any(_inside(python, source) for source in allowed.sources()):
        allowed.binds.append((python, python))
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libdir = sysconfig.get_config_var("LIBDIR") or ""
        soname = sysconfig.get_config_var("INSTSONAME") or ""
        library = os.path.join(libdir, soname)
        if soname and os.path.exists(library):
            library = _real(library)
            if not any(_inside(library, source) for source in allowed.sources()):
                allowed.binds.append((library, library))
    stdlib_paths = []
    base = {"base": sys.base_prefix, "platbase": sys.base_exec_prefix}
    base.update(installed_base=sys.base_prefix, installed_platbase=sys.base_exec_prefix)
    for key in ("stdlib", "platstdlib"):  # the base interpreter's, also from inside a venv
        path = _real(sysconfig.get_path(key, vars=base))
        if path not in stdlib_paths:
            stdlib_paths.append(path)
    for path in stdlib_paths:
        if not any(_inside(path, source) for source in allowed.sources()):
            allowed.binds.append((path, path))
    dynload = os.path.join(stdlib_paths[0], "lib-dynload")
    allowed.sys_path = [*stdlib_paths, *([dynload] if os.path.isdir(dynload) else [])]
    sources = allowed.sources()
    allowed.masks = [
        folder for folder in _site_folders() if any(_inside(folder, source) for source in sources)
    ]
    allowed.host_sys_path = list(allowed.sys_path)
    allowed.sys_path.append(PACKAGES)
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise SandboxUnavailable(
                f"the package {name!r} that submissions may use is not installed for "
                f"{sys.executable}; install it (pip install {name})"
            )
        folder = _real(list(spec.submodule_search_locations)[0])
        parent = os.path.dirname(folder)
        allowed.binds.append((folder, f"{PACKAGES}/{name}"))
        libs = os.path.join(parent, f"{name}.libs")  # wheels' bundled libraries (auditwheel)
        if os.path.isdir(libs):
            allowed.binds.append((_real(libs), f"{PACKAGES}/{name}.libs"))
        if parent not in allowed.host_sys_path:
            allowed.host_sys_path.append(parent)
    return allowed


def check_secrets(allowed, secrets):
    """SandboxUnavailable if a folder the child can read holds one of the secret paths."""
    for secret in secrets:
        if not secret or not os.path.exists(secret):
            continue
        for source in allowed.sources():
            if _inside(secret, source):
                raise SandboxUnavailable(
                    f"{secret} lies inside {source}, which the sandbox must show to submissions "
                    "(it holds the interpreter or its libraries); move the assignment, the "
                    "submissions and the output folder elsewhere"
                )


@dataclass
class Spec:
    """One sandbox to start: see command."""

    mode: str
    uid: int | None
    allowed: AllowList
    command: list  # the child's argv inside the sandbox
    env: dict
    files: list = field(default_factory=list)  # (fd, path inside, octal perms) copied in
    data: list = field(default_factory=list)  # (fd, path inside) copied in read-only
    work_bytes: int = 32 << 20
    tmp_bytes: int = 16 << 20
    shm_bytes: int = 16 << 20
    rlimits: dict = field(default_factory=dict)  # prlimit option -> value
    cgroup_procs: list = field(default_factory=list)  # files to write the launcher's pid into
    seccomp_fd: int | None = None  # grader.seccomp's filter, inherited by bwrap (None: none)


def _parents(path, made):
    """`--dir` arguments (mode 0755) for the not yet created ancestors of path."""
    arguments = []
    parts = path.strip("/").split("/")[:-1]
    current = ""
    for part in parts:
        current += "/" + part
        if current not in made:
            made.add(current)
            arguments += ["--perms", "0755", "--dir", current]
    return arguments


@contextlib.contextmanager
def command(spec):
    """(argv, fd): the whole argv, [cgroup launcher] prlimit [setpriv] bwrap --args FD --
    [setpriv] python ..., and the memfd FD holding bwrap's options, which the caller passes to
    the process (pass_fds) and which is closed afterwards.

    bwrap reads its options from FD (its `--args`), so they are not on its command line: bwrap
    stays in the sandbox as its init, and /proc/1/cmdline showed a submission the sandbox's
    whole layout (every bind's host path, the tmpfs sizes, the leased uid, the seccomp fd)."""
    options, inner = _options(spec)
    fd = os.memfd_create("nnlab-bwrap-args")
    try:
        os.write(fd, b"".join(option.encode() + b"\0" for option in options))
        os.lseek(fd, 0, os.SEEK_SET)
        yield _wrap(spec, [_tool("bwrap"), "--args", str(fd), "--", *inner]), fd
    finally:
        os.close(fd)


def _options(spec):
    """(bwrap's options, the command it runs inside)."""
    argv = []
    mode, with_proc = base_mode(spec.mode), not spec.mode.endswith(NO_PROC)
    if mode == "privileged":
        argv += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        argv += ["--unshare-cgroup-try"]
    else:
        argv += ["--unshare-all", "--uid", str(spec.uid), "--gid", str(spec.uid)]
    argv += ["--die-with-parent", "--new-session", "--clearenv"]
    if spec.seccomp_fd is not None:
        argv += ["--seccomp", str(spec.seccomp_fd)]
    if with_proc:
        argv += ["--hostname", "sandbox"]
    for name, value in spec.env.items():
        argv += ["--setenv", name, value]
    # The scratch folders first: a bind below (an interpreter or venv that lives under /tmp)
    # is then mounted on top of them instead of being hidden by them.
    argv += ["--proc", "/proc"] if with_proc else []
    argv += ["--dev", "/dev"]
    argv += ["--size", str(spec.shm_bytes), "--tmpfs", "/dev/shm", "--chmod", "1777", "/dev/shm"]
    argv += ["--remount-ro", "/dev"]
    argv += ["--size", str(spec.tmp_bytes), "--tmpfs", "/tmp", "--chmod", "1777", "/tmp"]
    argv += ["--size", str(spec.work_bytes), "--tmpfs", WORKDIR, "--chmod", "1777", WORKDIR]
    made = {"/tmp", WORKDIR}
    for target, path in spec.allowed.symlinks:
        argv += ["--symlink", target, path]
    for source, target in spec.allowed.binds:
        if any(_inside(target, folder) for folder in spec.allowed.masks):
            continue  # bound after its masked folder, below
        argv += _parents(target, made) + ["--ro-bind", source, target]
        made.add(target)
    for folder in spec.allowed.masks:
        argv += ["--perms", "0755", "--tmpfs", folder]
        for source, target in spec.allowed.binds:
            if _inside(target, folder) and target != folder:
                argv += ["--ro-bind", source, target]
        argv += ["--remount-ro", folder]
    for fd, path, perms in spec.files:
        argv += ["--perms", perms, "--file", str(fd), path]
    argv += ["--perms", "0755", "--dir", "/nnlab"]
    for fd, path in spec.data:
        argv += ["--perms", "0444", "--ro-bind-data", str(fd), path]
    argv += ["--remount-ro", "/", "--chdir", WORKDIR]
    inner = list(spec.command)
    if mode == "privileged":
        inner = [*_drop_privileges(spec.uid), *inner]  # setpriv is bound in (setpriv_binds)
    return argv, inner


def _wrap(spec, argv):
    """bwrap's argv behind [cgroup launcher] prlimit [setpriv]."""
    if base_mode(spec.mode) == "userns-root":
        argv = [*_drop_privileges(spec.uid), *argv]
    limits = [f"--{name}={value}" for name, value in spec.rlimits.items()]
    argv = [_tool("prlimit"), *limits, "--", *argv]
    if spec.cgroup_procs:
        script = 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f" || exit 97; shift; done'
        script += '; shift; exec "$@"'
        argv = ["/bin/sh", "-c", script, "sh", *spec.cgroup_procs, "--", *argv]
    return argv


def _drop_privileges(uid):
    return [
        _tool("setpriv"),
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
        "--",
    ]


def setpriv_binds():
    """The setpriv executable, bound into the sandbox for the privileged mode."""
    path = _tool("setpriv")
    return [(path, path)]


# ----- choosing the mode ---------------------------------------------------------------------

_mode_lock = threading.Lock()
_chosen = {}
#: how long a failed probe's verdict stands before the next sandbox probes again: a server whose
#: first probe met a passing problem (a full process table, say) must not refuse every later
#: self-check until it restarts
FAILED_PROBE_SECONDS = 60.0


def candidate_modes():
    if not is_root():
        return ["userns", "userns" + NO_PROC]
    return ["privileged", "userns-root", "userns-root" + NO_PROC]


def choose_mode(probe):
    """The first mode whose probe (a callable mode -> None or an error text) succeeds."""
    key = (sys.executable, os.geteuid(), os.environ.get("NNLAB_BWRAP"))
    inherited = os.environ.get(MODE_VARIABLE)
    if inherited in candidate_modes():
        return inherited
    with _mode_lock:
        if key in _chosen:
            mode, problem, when = _chosen[key]
            if mode is not None:
                return mode
            if time.monotonic() - when < FAILED_PROBE_SECONDS:
                raise SandboxUnavailable(problem)
        problems = []
        for mode in candidate_modes():
            error = probe(mode)
            if error is None:
                _chosen[key] = (mode, None, time.monotonic())
                return mode
            problems.append(f"{mode}: {error}")
        problem = "bubblewrap could not set up the sandbox (" + "; ".join(problems) + f"). {FIX}"
        _chosen[key] = (None, problem, time.monotonic())
        raise SandboxUnavailable(problem)


def forget_mode():
    """Forget the probed mode (tests that change the machine's abilities)."""
    with _mode_lock:
        _chosen.clear()


def run_probe(argv, pass_fds=(), env=None):
    """Run a probe command; None when it printed 'ok', else what went wrong."""
    try:
        finished = subprocess.run(
            argv,
            pass_fds=pass_fds,
            env=env or {"PATH": "/usr/bin:/bin"},
            capture_output=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    if finished.returncode == 0 and finished.stdout.strip() == b"ok":
        return None
    text = finished.stderr.decode("utf-8", "replace").strip() or f"exit code {finished.returncode}"
    return text[-600:]
