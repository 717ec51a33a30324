"""A whole class on one server: playground trainings share the server fairly.

A playground that plays reruns its fragment back to back, and one server process runs Python for
all its students under one interpreter lock: two or three playgrounds training flat out would
slow every page of every student (benchmarks/load_test.py). Two rules share the server:

*A lower frame rate for all.* Trainings together take at most ``training_cpu_percent`` of the
process's time (an [nnlab] setting): each playground's tick interval is
``max(base, n_training * tick_cpu / share)``, where tick_cpu is the measured CPU time of a tick
(moving average over all playgrounds). One student alone trains at full speed; ten share the
budget equally, and the other students' pages keep the rest.

*A cap with a line.* At most ``max_concurrent_trainings`` playgrounds train at once (0 = no
cap), so the frame rate never drops below what the course chose; the others wait in line with a
clear message, and while anyone waits the slots rotate: a run that has trained for
``training_turn_seconds`` goes to the back of the line and the first in line trains next
(the free slot goes to whoever in line has trained least so far, so a newcomer comes before a
second turn and nobody keeps a slot for the whole lecture). Waiting playgrounds poll the line
slowly (every WAIT_SECONDS), so a long line costs the server almost nothing.

A slot is freed when its playground pauses or finishes, when the student's session ends (the tab
closed: Streamlit's runtime no longer knows the session), or when the playground stops asking
(LEASE_SECONDS without a tick: the student moved to another page while playing).

The page calls three functions (the whole integration, pages/playground.py):

    from viz import serving

    @st.fragment(run_every=serving.tick_seconds(TICK_SECONDS) if playing else None)
    def live():
        turn = serving.training_turn(bool(st.session_state.get("pg_playing")))
        if turn.rerun:  # this session's tick rate changed (waiting, training, more trainers)
            st.rerun()
        if turn.message:
            st.info(turn.message)
        if st.session_state.get("pg_playing") and turn.granted:
            session.advance(epochs_per_tick)
        ...  # draw
        serving.tick_done(turn)  # the tick's CPU time sets everyone's frame rate

``TrainingSlots`` is the plain, thread-safe mechanism (tested with a fake clock); the three
functions bind it to the server's settings and to the current Streamlit session.

The server itself starts here too: ``python -m viz.serving [streamlit options]`` imports the
heavy libraries and every viz module once, then runs ``streamlit run app.py``. Streamlit runs
each session's script in its own thread; on a cold server, students arriving together imported
pandas and plotly in several threads at once, and one of them got a half-imported pandas
("partially initialized module 'pandas' has no attribute 'Series'", seen behind the proxy).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import importlib
import pkgutil
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

WAIT_SECONDS = 1.0  # a waiting playground asks for its turn this often
RATE_CHANGE = 1.5  # a training tick interval this many times off its target reruns the page
COST_MEMORY = 0.2  # weight of the newest tick in the moving average of tick CPU time
LEASE_SECONDS = 15.0  # a slot (or a place in line) not asked for this long is given up
MEMORY_SECONDS = 600.0  # how long a paused run's training time still counts for its next turn


@dataclass(frozen=True)
class Turn:
    """The answer to one tick of a playground.

    granted: this playground may train now. position: 1, 2, ... in line (0 when granted or not
    playing). rerun: the session moved between training and waiting, so its tick rate changes.
    """

    granted: bool
    position: int = 0
    training: int = 0
    capacity: int = 0
    waiting: int = 0
    turn_seconds: float = 0.0
    rerun: bool = False
    cpu_started: float = -1.0  # time.thread_time() when the tick began (for tick_done)

    @property
    def message(self) -> str:
        """What the student reads while waiting; empty when training (or not playing)."""
        if self.granted or self.position == 0:
            return ""
        place = "next" if self.position == 1 else f"number {self.position}"
        rotation = (
            f" Runs take turns of {self.turn_seconds:.0f} s while others wait, so yours is coming."
            if self.turn_seconds > 0
            else ""
        )
        return (
            f"This server trains at most {self.capacity} playground(s) at once and all "
            f"{self.capacity} are training now. You are {place} in line; your run starts by "
            f"itself when a place frees up (the page checks every {WAIT_SECONDS:.0f} s).{rotation}"
            " Every other control and page works meanwhile."
        )


class TrainingSlots:
    """At most ``capacity`` owners train at once; the rest wait in line.

    A free slot goes to the waiting owner that has trained least (over the last MEMORY_SECONDS,
    so pausing and playing again does not reset it), ties to the one that joined the line first.

    capacity: 0 means no cap (every request is granted). turn_seconds: while someone waits, a
    holder that has trained this long goes to the back of the line at its next request (0: no
    rotation). lease_seconds: an owner that has not asked for this long loses its slot or place.
    is_alive(owner): False once the owner's session has ended (its slot is freed at once).
    cpu_share: the share of one core that all trainings together may use (0: no limit).
    """

    def __init__(
        self,
        capacity: int,
        turn_seconds: float = 60.0,
        lease_seconds: float = LEASE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        is_alive: Callable[[str], bool] | None = None,
        cpu_share: float = 0.0,
    ) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
            raise ValueError(f"capacity must be a whole number >= 0, got {capacity!r}")
        if not 0.0 <= cpu_share <= 1.0:
            raise ValueError(f"cpu_share must be between 0 and 1, got {cpu_share!r}")
        if turn_seconds < 0 or lease_seconds <= 0:
            raise ValueError(
                f"turn_seconds must be >= 0 and lease_seconds > 0, got {turn_seconds!r} "
                f"and {lease_seconds!r}"
            )
        self.capacity = capacity
        self.cpu_share = float(cpu_share)
        self.turn_seconds = float(turn_seconds)
        self.lease_seconds = float(lease_seconds)
        self._clock = clock
        self._is_alive = is_alive
        self._lock = threading.Lock()
        self._holders: OrderedDict[str, list[float]] = OrderedDict()  # owner -> [start, seen]
        self._waiting: OrderedDict[str, float] = OrderedDict()  # owner -> seen
        self._was_granted: dict[str, bool] = {}
        self._trained: dict[str, list[float]] = {}  # owner -> [seconds trained, last seen]
        self._tick_cpu: float | None = None  # moving average of a tick's CPU seconds
        # owner -> (base, run_every) of the owner's last full run
        self._interval_given: dict[str, tuple[float, float]] = {}

    # ------------------------------------------------------------------------------ queries
    def holders(self) -> list[str]:
        """Owners training now, in the order they got their slot."""
        with self._lock:
            return list(self._holders)

    def waiting(self) -> list[str]:
        """Owners in line, the next to train first."""
        with self._lock:
            return self._line()

    def trained_seconds(self, owner: str) -> float:
        """Seconds the owner has held a slot (finished turns only), as used to order the line."""
        with self._lock:
            return self._trained.get(owner, [0.0, 0.0])[0]

    def tick_interval(self, base: float) -> float:
        """The tick interval of every training playground: base, stretched so that all of them
        together stay within cpu_share of one core."""
        with self._lock:
            return self._target(base)

    def give_interval(self, owner: str, base: float) -> float:
        """The run_every for the owner's next full run: WAIT_SECONDS while it waits in line,
        else the training interval (remembered, to tell when it has drifted too far)."""
        with self._lock:
            if self._was_granted.get(owner) is False:
                self._interval_given.pop(owner, None)
                return WAIT_SECONDS
            interval = self._target(base)
            self._interval_given[owner] = (base, interval)
            return interval

    def record_tick(self, cpu_seconds: float) -> None:
        """The CPU time one training tick took (training and drawing)."""
        if not cpu_seconds >= 0.0:  # NaN or negative: a broken clock, ignored
            return
        with self._lock:
            if self._tick_cpu is None:
                self._tick_cpu = cpu_seconds
            else:
                self._tick_cpu += COST_MEMORY * (cpu_seconds - self._tick_cpu)

    def is_granted(self, owner: str) -> bool | None:
        """The owner's last answer: True (training), False (waiting), None (not playing)."""
        with self._lock:
            return self._was_granted.get(owner)

    # ------------------------------------------------------------------------------ changes
    def request(self, owner: str) -> Turn:
        """One tick of a playing owner: keep or get a slot, or wait in line (its place kept)."""
        with self._lock:
            now = self._clock()
            self._prune(now, keep=owner)
            if owner in self._holders:
                start = self._holders[owner][0]
                over = self.turn_seconds > 0 and now - start >= self.turn_seconds
                if self._waiting and over:
                    self._end_turn(owner, now)  # turn over: back in line, behind the others
                    self._waiting[owner] = now
                else:
                    self._holders[owner][1] = now
            else:
                self._waiting[owner] = now
            self._trained.setdefault(owner, [0.0, now])[1] = now
            self._fill(now)
            if owner in self._holders:
                turn = self._answer(owner, self._turn(granted=True, position=0))
                given = self._interval_given.get(owner)
                if given and not turn.rerun:
                    base, interval = given
                    ratio = self._target(base) / interval
                    if not 1 / RATE_CHANGE <= ratio <= RATE_CHANGE:
                        turn = Turn(**{**turn.__dict__, "rerun": True})
                return turn
            position = self._line().index(owner) + 1
            return self._answer(owner, self._turn(granted=False, position=position))

    def release(self, owner: str) -> None:
        """The owner stopped playing (pause, finish, reset, left): free its slot or place."""
        with self._lock:
            now = self._clock()
            if owner in self._holders:
                self._end_turn(owner, now)
            self._waiting.pop(owner, None)
            self._was_granted.pop(owner, None)
            self._interval_given.pop(owner, None)
            self._fill(now)

    # ------------------------------------------------------------------------------ helpers
    def _target(self, base: float) -> float:
        if self.cpu_share == 0 or self._tick_cpu is None:
            return base
        return max(base, max(1, len(self._holders)) * self._tick_cpu / self.cpu_share)

    def _turn(self, granted: bool, position: int) -> Turn:
        return Turn(
            granted=granted,
            position=position,
            training=len(self._holders),
            capacity=self.capacity,
            waiting=len(self._waiting),
            turn_seconds=self.turn_seconds,
        )

    def _answer(self, owner: str, turn: Turn) -> Turn:
        """Record the answer; rerun when it differs from the last one (a first answer counts
        as a change only when it is to wait: playing starts at the training tick rate)."""
        before = self._was_granted.get(owner, True)
        self._was_granted[owner] = turn.granted
        if before != turn.granted:
            turn = Turn(**{**turn.__dict__, "rerun": True})
        return turn

    def _line(self) -> list[str]:
        """Waiting owners, the next to train first: least trained, then longest in line."""
        order = {owner: rank for rank, owner in enumerate(self._waiting)}
        trained = self._trained
        return sorted(self._waiting, key=lambda o: (trained.get(o, [0.0])[0], order[o]))

    def _end_turn(self, owner: str, until: float) -> None:
        start, _seen = self._holders.pop(owner)
        entry = self._trained.setdefault(owner, [0.0, until])
        entry[0] += max(0.0, until - start)
        entry[1] = max(entry[1], until)

    def _fill(self, now: float) -> None:
        """Give free slots to the first in line."""
        while self._waiting and (self.capacity == 0 or len(self._holders) < self.capacity):
            owner = self._line()[0]
            del self._waiting[owner]
            self._holders[owner] = [now, now]

    def _prune(self, now: float, keep: str) -> None:
        """Forget owners whose session ended or who stopped asking (all but ``keep``)."""

        def gone(owner: str, seen: float) -> bool:
            if owner == keep:
                return False
            return now - seen > self.lease_seconds or self._gone_for_good(owner)

        for owner, (_start, seen) in list(self._holders.items()):
            if not gone(owner, seen):
                continue
            self._end_turn(owner, seen)  # it trained until it last asked
            self._was_granted.pop(owner, None)
            self._interval_given.pop(owner, None)
        for owner in [o for o, seen in self._waiting.items() if gone(o, seen)]:
            del self._waiting[owner]
            self._was_granted.pop(owner, None)
        busy = set(self._holders) | set(self._waiting)
        for owner in [o for o, (_t, seen) in self._trained.items() if o not in busy]:
            if now - self._trained[owner][1] > MEMORY_SECONDS or self._gone_for_good(owner):
                del self._trained[owner]  # bounded: only owners seen in the last 10 minutes

    def _gone_for_good(self, owner: str) -> bool:
        return self._is_alive is not None and not self._is_alive(owner)


# ------------------------------------------------------------------ the server's one instance
_SERVER_LOCK = threading.Lock()
_SERVER_SLOTS: TrainingSlots | None = None


def server_slots(capacity: int, turn_seconds: float, cpu_share: float = 0.0) -> TrainingSlots:
    """The process-wide slots, rebuilt when the settings change (a redeployed secrets file)."""
    global _SERVER_SLOTS
    wanted = (capacity, float(turn_seconds), float(cpu_share))
    with _SERVER_LOCK:
        slots = _SERVER_SLOTS
        if slots is None or (slots.capacity, slots.turn_seconds, slots.cpu_share) != wanted:
            slots = TrainingSlots(
                capacity, turn_seconds, is_alive=_session_is_alive, cpu_share=cpu_share
            )
            _SERVER_SLOTS = slots
        return slots


def _session_is_alive(session_id: str) -> bool:
    """True while Streamlit's runtime holds this session with a connected browser."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return True  # AppTest and bare scripts: no runtime, no session ends
        return Runtime.instance().is_active_session(session_id)
    except Exception:  # noqa: BLE001 - never let the check break a page; the lease still frees
        return True


def session_id() -> str:
    """The current Streamlit session's id ("bare" outside a Streamlit run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    return context.session_id if context is not None else "bare"


def _current_slots() -> TrainingSlots:
    from viz import settings

    current = settings.current()
    return server_slots(
        current.max_concurrent_trainings,
        float(current.training_turn_seconds),
        current.training_cpu_percent / 100,
    )


def training_turn(playing: bool) -> Turn:
    """Call once per run of the playground's fragment: may this session train now?

    playing=False frees the session's slot or place (pause, finish, reset) and answers
    Turn(granted=False) with no message.
    """
    slots = _current_slots()
    owner = session_id()
    if not playing:
        slots.release(owner)  # the pause or finish already reran the page: no rerun needed
        return Turn(granted=False)
    turn = slots.request(owner)
    return Turn(**{**turn.__dict__, "cpu_started": time.thread_time()})


def tick_done(turn: Turn) -> None:
    """Call at the end of the fragment's run: a training tick's CPU time (this thread's, so
    other students' work does not count) feeds the shared frame rate."""
    if turn.granted and turn.cpu_started >= 0:
        _current_slots().record_tick(time.thread_time() - turn.cpu_started)


def tick_seconds(training_seconds: float) -> float:
    """The fragment's run_every for this session: the shared training interval while it trains
    (or has not asked yet), WAIT_SECONDS while it waits in line."""
    return _current_slots().give_interval(session_id(), training_seconds)


# ------------------------------------------------------------------- memory after sessions
KEEPER_SECONDS = 15.0  # how often the server looks whether sessions have ended


def give_back_memory() -> float:
    """Collect the garbage of ended sessions and hand free heap pages back to the system.

    The course config turns Streamlit's collection after every rerun off (runner.postScriptGC:
    it cost a third of a rerun), so cyclic garbage (plotly figures hold cycles) waits for
    Python's own generational trigger, which an idle server never reaches; glibc keeps freed
    pages in its arenas until malloc_trim. Returns the seconds it took.
    """
    started = time.perf_counter()
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
    return time.perf_counter() - started


def _libc():
    """glibc, for malloc_trim (None elsewhere: musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def _session_count() -> int | None:
    """Sessions Streamlit's runtime holds (connected or within their TTL); None without one."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return None
        return Runtime.instance()._session_mgr.num_sessions()  # noqa: SLF001 - no public count
    except Exception:  # noqa: BLE001 - the keeper must never take the server down
        return None


def keep_memory(
    session_count: Callable[[], int | None] = _session_count,
    give_back: Callable[[], float] = give_back_memory,
    sleep: Callable[[float], None] = time.sleep,
    every: float = KEEPER_SECONDS,
    rounds: int | None = None,
) -> None:
    """Every `every` seconds: when fewer sessions are held than at the last look (students
    left and their TTL ran out), give the memory back. Runs in a daemon thread of the server
    (`start_memory_keeper`); `rounds` bounds it for tests."""
    last = None
    done = 0
    while rounds is None or done < rounds:
        sleep(every)
        done += 1
        count = session_count()
        if count is not None and last is not None and count < last:
            give_back()
        last = count


def start_memory_keeper() -> threading.Thread:
    thread = threading.Thread(target=keep_memory, name="nnlab-memory-keeper", daemon=True)
    thread.start()
    return thread


# ------------------------------------------------------------------------ starting the server
PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow",
    "plotly.graph_objects",
    "plotly.io",
    "plotly.subplots",
    "PIL.Image",
    "nncore",
    "nncore.train",
)


def preload() -> list[str]:
    """Import the libraries the pages use, and every viz module, in this (the main) thread."""
    import viz

    names = list(PRELOAD) + [f"viz.{module.name}" for module in pkgutil.iter_modules(viz.__path__)]
    for name in names:
        importlib.import_module(name)
    return names


def main(argv: list[str] | None = None) -> None:
    """`python -m viz.serving [streamlit options]`: preload, then `streamlit run app.py`."""
    from streamlit.web import cli

    preload()
    start_memory_keeper()
    args = sys.argv[1:] if argv is None else argv
    cli.main(["run", "app.py", *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
