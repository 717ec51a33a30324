"""The sandboxed side: import the student's files and answer calls, nothing else.

Runs as `python -I -S -B -c BOOTSTRAP BOOT FD_IN FD_OUT WORKDIR MODULES SYS_PATH`, started by
grader.spawn (for grader.sandbox's Sandbox) inside bubblewrap (grader.bubblewrap): WORKDIR
holds only copies of the submission's files, SYS_PATH lists the standard library and the allowed
packages (NumPy). Requests and answers travel as length-prefixed JSON on the dedicated pipes
FD_IN/FD_OUT (see protocol.py); fds 0, 1, 2 are /dev/null, and print() inside a call goes to a
capped buffer.

Before any student code runs it installs an audit hook (PEP 578) that refuses imports of the
reference (nncore, solutions, grader), process creation, signals, sockets, ctypes, and reads or
writes outside the child's own folders, with a message that explains the refusal. The hook is
a tripwire that teaches, not the boundary: Python code can get around audit hooks, and the
operating system's sandbox holds whatever the hook misses.

Imports only the standard library, NumPy and the protocol module copied beside it.
"""

import builtins
import importlib
import os
import sys
import warnings

import nnlab_sandbox_protocol as protocol
import numpy as np

FORBIDDEN_IMPORTS = {
    "nncore": "the reference implementation (nncore) is not available to submissions",
    "solutions": "the reference solutions are not available to submissions",
    "grader": "the grader is not available to submissions",
    "_posixsubprocess": "starting processes is not allowed in a submission",
    "_ctypes": "ctypes is not allowed in a submission",
}
BLOCKED_EVENTS = {
    "os.system": "running shell commands",
    "os.exec": "replacing the process",
    "os.fork": "starting processes",
    "os.forkpty": "starting processes",
    "os.posix_spawn": "starting processes",
    "os.spawn": "starting processes",
    "subprocess.Popen": "starting processes",
    "os.kill": "sending signals",
    "os.killpg": "sending signals",
    "signal.pthread_kill": "sending signals",
    "resource.setrlimit": "changing resource limits",
    "resource.prlimit": "changing resource limits",
    "webbrowser.open": "opening a browser",
    "urllib.Request": "network access",
    "os.chroot": "changing the root directory",
}
BLOCKED_PREFIXES = ("ctypes.", "socket.", "_posixsubprocess.")
WRITE_PATH_EVENTS = {
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.link",
    "os.symlink",
    "os.truncate",
    "os.utime",
    "os.chflags",
    "os.lchflags",
    "os.setxattr",
    "os.removexattr",
    "shutil.copyfile",
    "shutil.copymode",
    "shutil.copystat",
    "shutil.copytree",
    "shutil.move",
    "shutil.rmtree",
    "shutil.chown",
    "shutil.make_archive",
    "shutil.unpack_archive",
    "sqlite3.connect",
    "sqlite3.connect/handle",
    "os.mkfifo",
    "os.mknod",
}
READ_PATH_EVENTS = {"os.listdir", "os.scandir", "os.chdir", "glob.glob", "glob.glob/2"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
DEVICES = {"/dev/null", "/dev/urandom", "/dev/random", "/dev/zero"}
OUTPUT_LIMIT = 4000
ORACLE_ERRORS = {"ValueError", "TypeError", "IndexError", "KeyError", "ZeroDivisionError"}


class CappedWriter:
    """A text stream that keeps the first OUTPUT_LIMIT characters and counts the rest."""

    def __init__(self):
        self.parts = []
        self.kept = 0
        self.dropped = 0

    def write(self, text):
        text = str(text)
        room = OUTPUT_LIMIT - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self):
        return None

    def isatty(self):
        return False

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n... ({self.dropped} more characters not shown)"
        return text


def _inside(path, roots):
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def install_guard(workdir, read_roots, scratch=("/tmp", "/dev/shm")):
    """Install the audit hook described in the module docstring.

    Its tables are copied into the closure as immutable values, so rebinding this module's
    globals at import time changes nothing (it remains a tripwire, see the docstring).
    """
    write_roots = (workdir, *scratch)
    readable = (workdir, *scratch, *read_roots)
    forbidden = tuple(FORBIDDEN_IMPORTS.items())
    blocked = tuple(BLOCKED_EVENTS.items())
    prefixes = tuple(BLOCKED_PREFIXES)
    write_events = frozenset(WRITE_PATH_EVENTS)
    read_events = frozenset(READ_PATH_EVENTS)
    devices = frozenset(DEVICES)
    write_flags = WRITE_FLAGS
    inside = _inside

    def real(path):
        return os.path.realpath(os.fsdecode(path))

    def refuse(what):
        raise PermissionError(f"the grading sandbox does not allow {what}")

    def hook(event, args):
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if path is None or isinstance(path, int):
                return
            target = real(path)
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & write_flags
            )
            if writing:
                if not inside(target, write_roots) and target != "/dev/null":
                    refuse(f"writing {path!r} (only files in your own folder may be written)")
            elif not inside(target, readable) and target not in devices:
                refuse(f"reading {path!r} (only your own folder is visible)")
        elif event == "import":
            top = str(args[0]).split(".")[0]
            for name, reason in forbidden:
                if top == name:
                    raise ImportError(f"import of {args[0]!r} refused: {reason}")
        elif event.startswith(prefixes):
            refuse(event)
        elif event in write_events:
            for path in args[:2]:
                if isinstance(path, (str, bytes, os.PathLike)):
                    if not inside(real(path), write_roots):
                        refuse(f"{event} on {path!r} outside your folder")
        elif event in read_events and args:
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)) and path not in ("", "."):
                if not inside(real(path), readable):
                    refuse(f"{event} on {path!r} (only your own folder is visible)")
        else:
            for name, reason in blocked:
                if event == name:
                    refuse(reason)

    sys.addaudithook(hook)


def disarm_process_creation():
    """Load subprocess (numpy.testing needs it) but drop its raw fork/exec primitive.

    subprocess.Popen raises the audited event "subprocess.Popen" (refused by the hook);
    _posixsubprocess.fork_exec raises none, so it is removed, and re-importing it is refused.
    """
    import subprocess

    subprocess._fork_exec = None
    sys.modules.pop("_posixsubprocess", None)


def safe_text(value, limit=2000):
    """str(value) that survives hostile __str__ methods; capped in length."""
    try:
        text = str(value)
    except BaseException:  # noqa: BLE001 - a student's __str__ may raise anything
        text = "<the exception's message could not be turned into text>"
    if not isinstance(text, str):
        text = "<unprintable>"
    return text[:limit]


def builtin_base(error):
    """Name of the nearest built-in exception class of error (e.g. LinAlgError -> ValueError)."""
    for cls in type(error).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return "Exception"


def student_trace(traceback, workdir, limit=4):
    """'file.py, line N, in f: source' for the frames of a traceback in the student's files."""
    import linecache

    lines = []
    while traceback is not None:
        code = traceback.tb_frame.f_code
        filename = code.co_filename
        if filename.startswith(workdir.rstrip("/") + "/"):
            number = traceback.tb_lineno
            source = linecache.getline(filename, number).strip()
            text = f"{os.path.basename(filename)}, line {number}, in {code.co_name}"
            lines.append(f"{text}: {source}" if source else text)
        traceback = traceback.tb_next
    return [safe_text(line, 300) for line in lines[-limit:]]


class Child:
    """State of the sandboxed process: imported modules and the request loop.

    Oracle modules: when a call arrives with "oracle": {file: [function names]}, those files
    are replaced, for the duration of that call and for any student module imported during it,
    by modules whose functions ask the grader for the reference's answer (plain data both ways,
    see `oracle_call`). A later exercise is then graded with the reference's earlier files, so
    a bug in an earlier file costs points in its own exercise only.
    """

    def __init__(self, fd_in, fd_out, workdir, modules):
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.workdir = workdir
        self.modules = set(modules)
        self.loaded = {}
        self.shims = {}
        self.request_id = None
        self.quiet = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
        self.builtins = dict(vars(builtins))

    def restore_builtins(self):
        """Undo a submission's monkeypatching of builtins before the child's own code runs."""
        namespace = vars(builtins)
        for name, value in self.builtins.items():
            if namespace.get(name) is not value:
                namespace[name] = value

    def failure(self, kind, message, **extra):
        return {"ok": False, "kind": kind, "message": message, **extra}

    # ----- oracle modules --------------------------------------------------------------------

    def oracle_call(self, module, function, args, kwargs):
        """The reference's module.function(*args, **kwargs), computed by the grader."""
        try:
            request = {
                "op": "oracle",
                "id": self.request_id,
                "module": module,
                "function": function,
                "args": protocol.encode_value(list(args)),
                "kwargs": protocol.encode_value(dict(kwargs)),
            }
        except TypeError as error:
            raise TypeError(
                f"{module}.{function} (the reference's, used while grading this exercise) "
                f"takes arrays and numbers: {error}"
            ) from None
        protocol.write_message(self.fd_out, request)
        answer = protocol.read_message(self.fd_in)
        if answer.get("ok") is True:
            return protocol.decode_value(answer.get("result"), allow_str=False)
        kind = answer.get("type") if answer.get("type") in ORACLE_ERRORS else "RuntimeError"
        raise getattr(builtins, kind)(safe_text(answer.get("message", "")))

    def shim(self, name, functions):
        if name not in self.shims:
            import types

            module = types.ModuleType(name, f"The reference's {name}.py (asked of the grader).")
            for function in functions:

                def call(*args, _function=function, **kwargs):
                    return self.oracle_call(name, _function, args, kwargs)

                call.__name__ = call.__qualname__ = function
                setattr(module, function, call)
            self.shims[name] = module
        return self.shims[name]

    def activate(self, oracle):
        """sys.modules as this call needs it: shims for the oracle files, the student's own
        modules for the others."""
        for name in self.modules:
            if name in oracle:
                sys.modules[name] = self.shim(name, oracle[name])
            elif name in self.loaded:
                sys.modules[name] = self.loaded[name]
            elif sys.modules.get(name) is self.shims.get(name):
                sys.modules.pop(name, None)

    # ----- importing and calling -------------------------------------------------------------

    def load(self, name):
        """Import the student's module `name`; a failure dict if that is not possible."""
        if name in self.loaded:
            return self.loaded[name], None
        if name not in self.modules:
            return None, self.failure("unknown_module", f"{name} is not a file of this assignment")
        if not os.path.isfile(os.path.join(self.workdir, name + ".py")):
            return None, self.failure("missing_file", f"{name}.py is missing from the submission")
        try:
            module = importlib.import_module(name)
        except SyntaxError as error:
            where = f"{os.path.basename(error.filename or name + '.py')}, line {error.lineno}"
            return None, self.failure("syntax_error", f"{where}: {safe_text(error.msg)}")
        except NotImplementedError as error:
            trace = student_trace(error.__traceback__, self.workdir)
            text = f"NotImplementedError: {safe_text(error)}"
            return None, self.failure("import_error", text, trace=trace)
        except SystemExit as error:
            return None, self.failure("exit", f"sys.exit({safe_text(error.code)})")
        except KeyboardInterrupt:
            return None, self.failure("keyboard_interrupt", "KeyboardInterrupt")
        except BaseException as error:  # noqa: BLE001 - anything a student's import raises
            message = f"{type(error).__name__}: {safe_text(error)}"
            trace = student_trace(error.__traceback__, self.workdir)
            return None, self.failure("import_error", message, trace=trace)
        self.loaded[name] = module
        return module, None

    def call(self, request):
        oracle = request.get("oracle")
        oracle = oracle if isinstance(oracle, dict) else {}
        oracle = {
            str(name): [str(f) for f in functions if isinstance(f, str)]
            for name, functions in oracle.items()
            if name in self.modules
            and name != request.get("module")
            and isinstance(functions, list)
        }
        self.activate(oracle)
        module, failed = self.load(request.get("module"))
        if failed:
            failed["phase"] = "import"
            return failed
        if request.get("op") == "load":
            return {"ok": True, "result": None}
        name = request.get("function")
        function = getattr(module, name, None) if isinstance(name, str) else None
        if function is None or not callable(function):
            return self.failure("missing_function", f"{module.__name__}.py has no function {name}")
        args = protocol.decode_value(request.get("args", []))
        kwargs = protocol.decode_value(request.get("kwargs", {"__t": "dict", "items": []}))
        try:
            result = function(*args, **kwargs)
        except NotImplementedError as error:
            return self.failure("not_implemented", safe_text(error))
        except SystemExit as error:
            return self.failure("exit", f"sys.exit({safe_text(error.code)})")
        except KeyboardInterrupt:
            return self.failure("keyboard_interrupt", "KeyboardInterrupt")
        except BaseException as error:  # noqa: BLE001 - report anything the student raises
            return self.failure(
                "exception",
                safe_text(error),
                type=type(error).__name__[:80],
                base=builtin_base(error),
                trace=student_trace(error.__traceback__, self.workdir),
            )
        try:
            response = {"ok": True, "result": protocol.encode_value(result, allow_str=False)}
        except TypeError as error:
            return self.failure("bad_result", safe_text(error))
        except RecursionError:
            return self.failure("bad_result", "a result nested too deeply")
        except MemoryError:
            return self.failure("bad_result", "a result too large to send back")
        if request.get("inputs"):
            try:  # the arguments as the function left them (did it change them in place?)
                response["inputs_after"] = protocol.encode_value([list(args), dict(kwargs)])
            except (TypeError, RecursionError, MemoryError):
                pass
        return response

    def warning_item(self, record):
        """[category, message, 'file.py, line N', source line] of a caught warning."""
        filename = str(record.filename or "")
        where, source = "", ""
        if filename.startswith(self.workdir.rstrip("/") + "/"):
            import linecache

            where = f"{os.path.basename(filename)}, line {record.lineno}"
            source = linecache.getline(filename, record.lineno).strip()
        return [
            record.category.__name__[:80],
            safe_text(record.message, 500),
            safe_text(where, 200),
            safe_text(source, 300),
        ]

    def answer(self, request):
        """Run one call with captured output, recorded warnings and numpy's default errstate."""
        captured = CappedWriter()
        sys.stdout = sys.stderr = captured
        self.request_id = request.get("id")
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
                    response = self.call(request)
        except protocol.ProtocolError as error:
            response = self.failure("protocol", f"bad request: {error}")
        finally:
            sys.stdout = sys.stderr = self.quiet
            self.restore_builtins()
        seen = []
        for record in caught[:50]:
            item = self.warning_item(record)
            if item not in seen:
                seen.append(item)
        response["warnings"] = seen[:10]
        response["stdout"] = captured.getvalue()
        response["loaded"] = sorted(self.loaded)
        return response

    def serve(self):
        protocol.write_message(self.fd_out, {"ok": True, "ready": True, "pid": os.getpid()})
        while True:
            try:
                request = protocol.read_message(self.fd_in)
            except (EOFError, protocol.ProtocolError):
                os._exit(0)
            if request.get("op") == "exit":
                os._exit(0)
            try:
                response = self.answer(request)
            except BaseException as error:  # noqa: BLE001 - never let the loop die silently
                response = self.failure("exception", safe_text(error), type="InternalError")
            response["id"] = request.get("id")
            try:
                protocol.write_message(self.fd_out, response)
            except (protocol.ProtocolError, ValueError, TypeError, RecursionError) as error:
                # too large, or a value JSON cannot write (its own message, say, holding a
                # 5,000-digit int): the answer says so instead of the child dying
                failed = self.failure("bad_result", f"the result cannot be sent: {error}")
                failed["id"] = request.get("id")
                protocol.write_message(self.fd_out, failed)


def main(argv):
    fd_in, fd_out = int(argv[1]), int(argv[2])
    workdir = os.path.realpath(argv[3])
    modules = [name for name in argv[4].split(",") if name]
    read_roots = tuple(os.path.realpath(p) for p in argv[5].split(os.pathsep) if p)
    quiet = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # nothing a submission writes to a raw fd reaches the grader
        os.dup2(quiet, fd)
    os.close(quiet)
    os.chdir(workdir)
    sys.path[:] = [workdir, *read_roots]
    sys.dont_write_bytecode = True
    disarm_process_creation()
    install_guard(workdir, read_roots)
    Child(fd_in, fd_out, workdir, modules).serve()


if __name__ == "__main__":
    main(sys.argv)
