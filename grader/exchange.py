"""One request and its answer between a Sandbox and its child, as an Outcome.

`CallExchange` is the middle layer of grader.sandbox.Sandbox, on top of the child process
(grader.spawn): it sends one framed request (grader.channel) within the call's time limit and
what is left of the total budget, answers the child's oracle requests with the reference's
results in between, and turns what comes back (an answer, a timeout, the child's death,
malformed or out-of-turn data) into an `Outcome`. A module that fails to import is remembered
in `broken`. Every string from the child is cleaned of control characters (grader.text) and
capped before it goes into an Outcome.
"""

import os
import resource
import signal
import time
from dataclasses import dataclass, field

from . import protocol
from .channel import receive, send
from .spawn import ChildProcess
from .text import clean


@dataclass
class Outcome:
    """The answer to one call: ok + value, or a failure kind and a message."""

    ok: bool
    value: object = None
    kind: str = ""
    message: str = ""
    error_type: str = ""
    error_base: str = ""
    warnings: list = field(default_factory=list)  # (category, message, where, source line)
    stdout: str = ""
    seconds: float = 0.0
    trace: list = field(default_factory=list)  # the student's own frames: "file.py, line N..."
    inputs_after: object = None  # (args, kwargs) as the call left them, when asked for


class CallExchange(ChildProcess):
    """The message layer of a Sandbox (grader.sandbox); not used on its own."""

    def _exchange(self, request, module, qualified, limit, oracle=None):
        limit = min(limit, self.total_budget - self.spent)
        self.next_id += 1
        request["id"] = self.next_id
        started = time.monotonic()
        deadline = started + limit
        sent = send(self.to_child, request, deadline)
        answer = self._receive(deadline) if sent else "eof"
        while isinstance(answer, dict) and answer.get("op") == "oracle":
            reply = self._answer_oracle(answer, oracle or {}, deadline)
            if not send(self.to_child, reply, deadline):
                answer = "timeout" if time.monotonic() >= deadline else "eof"
                break
            answer = self._receive(deadline)
        seconds = time.monotonic() - started
        self.spent += seconds
        at_import = request["op"] == "load"
        return self._interpret(answer, module, qualified, limit, seconds, at_import)

    def _answer_oracle(self, request, oracle, deadline):
        """The reference's answer to an oracle request of the child (plain data both ways),
        computed in a forked copy of this process under the sandbox's memory limit and the
        call's deadline: the arguments are the submission's, and one_hot([0], 10**9) or a
        (6000, 1) @ (1, 6000) product must not cost the grader itself its memory or time."""
        name, function = request.get("module"), request.get("function")
        if request.get("id") != self.next_id or name not in oracle or function not in oracle[name]:
            return {"ok": False, "type": "RuntimeError", "message": "no such reference function"}
        self._oracle_used.add(name)
        return limited(
            lambda: self._oracle_reply(name, function, request),
            self.limits.memory_mb * 1024 * 1024,
            deadline,
            f"the reference's {name}.{function}",
        )

    def _oracle_reply(self, name, function, request):
        try:
            args = protocol.decode_value(request.get("args"), allow_str=True)
            kwargs = protocol.decode_value(request.get("kwargs"), allow_str=True)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise protocol.ProtocolError("arguments must be a list and a dict")
            value = self.oracle(name, function, args, kwargs)
            return {"ok": True, "result": protocol.encode_value(value, allow_str=False)}
        except protocol.ProtocolError as error:
            return {"ok": False, "type": "TypeError", "message": clean(error, 300)}
        except Exception as error:  # noqa: BLE001 - the reference refusing a bad input, say
            kind = type(error).__name__
            base = next((c.__name__ for c in type(error).__mro__ if c.__module__ == "builtins"), "")
            return {"ok": False, "type": base or kind, "message": clean(error, 500)}

    def _interpret(self, answer, module, qualified, limit, seconds, at_import):
        if answer == "timeout":
            self.kill()
            if at_import:
                text = (
                    f"importing {module}.py did not finish within {limit:g} s (code at the top "
                    "level of the file runs forever or waits?)"
                )
                self.broken[module] = text
            else:
                text = f"{qualified} did not return within {limit:g} s (infinite loop?)"
            return Outcome(False, kind="timeout", message=text, seconds=seconds)
        if answer == "eof" or isinstance(answer, protocol.ProtocolError):
            if answer == "eof":
                what = self._death_message()
            else:
                what = f"sent malformed data to the grader ({clean(answer, 300)})"
            self.kill()
            where = f"while importing {module}.py" if at_import else f"during {qualified}"
            text = f"the submission's process {what} {where}"
            if at_import:
                self.broken[module] = text
            return Outcome(False, kind="died", message=text, seconds=seconds)
        if answer.get("id") != self.next_id:
            self.kill()
            text = f"{qualified}: the submission's process answered out of turn (channel tampered)"
            return Outcome(False, kind="died", message=text, seconds=seconds)
        loaded = answer.get("loaded")
        if isinstance(loaded, list):
            self.loaded = {name for name in loaded if isinstance(name, str)}
        trace = answer.get("trace")
        outcome = Outcome(
            False,
            warnings=_clean_warnings(answer.get("warnings")),
            stdout=clean(answer.get("stdout", ""), 4200),
            seconds=seconds,
            trace=[clean(line, 300) for line in trace[:4] if isinstance(line, str)]
            if isinstance(trace, list)
            else [],
        )
        if answer.get("ok") is True:
            try:
                outcome.value = protocol.decode_value(answer.get("result"), allow_str=False)
                if "inputs_after" in answer:
                    outcome.inputs_after = protocol.decode_value(answer["inputs_after"])
            except protocol.ProtocolError as error:
                outcome.kind = "bad_result"
                outcome.message = clean(f"{qualified} returned {error}", 2000)
                return outcome
            outcome.ok = True
            return outcome
        outcome.kind = clean(answer.get("kind", "exception"), 40)
        outcome.message = clean(answer.get("message", ""), 2000)
        outcome.error_type = clean(answer.get("type", ""), 80)
        outcome.error_base = clean(answer.get("base", ""), 80)
        if answer.get("phase") == "import":
            self.broken[module] = _import_text(module, outcome)
            outcome.message = self.broken[module]
            outcome.kind = "import_error"
        return outcome


def _address_space():
    """This process's virtual memory size in bytes (VmSize), or 0 where /proc cannot say."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def limited(compute, memory_bytes, deadline, what):
    """compute() -> a reply dict, run in a forked child of this process that may allocate at
    most memory_bytes more than this process holds and must answer by the deadline; its reply
    comes back as one framed message (protocol.pack's size limit included). A child that runs
    out of memory, dies or is late is killed, and the reply says so."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running any of the parent's exits
        status = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the session's report-and-leave
            os.close(read_end)
            ceiling = _address_space() + memory_bytes
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
            try:
                reply = compute()
            except MemoryError:
                reply = {"ok": False, "type": "MemoryError", "message": f"{what} ran out of memory"}
            try:
                data = protocol.pack(reply)
            except (protocol.ProtocolError, MemoryError):
                data = protocol.pack(
                    {"ok": False, "type": "MemoryError", "message": f"{what}'s result is too large"}
                )
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view[: 1 << 16]) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    answer = "eof"
    try:
        answer = receive(read_end, deadline)
    finally:
        os.close(read_end)
        if not isinstance(answer, dict):  # late, or an answer that cannot be read
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if isinstance(answer, dict):
        return answer
    if answer == "timeout":
        return {"ok": False, "type": "TimeoutError", "message": f"{what} did not finish in time"}
    return {
        "ok": False,
        "type": "MemoryError",
        "message": f"{what} could not answer within the sandbox's memory limit",
    }


def _import_text(module, outcome):
    kind, message = outcome.kind, outcome.message
    if kind == "syntax_error":
        return f"{module}.py has a syntax error: {message}"
    if kind == "missing_file":
        return message
    if kind in ("exit", "keyboard_interrupt"):
        return f"importing {module}.py called {message}; code at the top level must not exit"
    where = f" (at {outcome.trace[-1]})" if outcome.trace else ""
    return f"importing {module}.py failed with {message}{where}"


def _clean_warnings(items):
    """(category, message, where, source) tuples of the child's warnings, cleaned and capped."""
    cleaned = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list) and 2 <= len(item) <= 4 and all(isinstance(s, str) for s in item):
            padded = [*item, "", ""][:4]
            limits = (80, 500, 200, 300)
            cleaned.append(
                tuple(clean(text, cap) for text, cap in zip(padded, limits, strict=True))
            )
    return cleaned[:10]
