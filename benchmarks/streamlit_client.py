"""A Streamlit client at the websocket level: what one browser tab says to the server, no browser.

It speaks Streamlit's own protocol with the protobufs of the installed package
(streamlit.proto.*): it opens /_stcore/stream, asks for a page (BackMsg.rerun_script), reads
the ForwardMsgs (the elements, the widgets and their ids, script_finished), changes a widget by
sending all widget values as the frontend does, presses buttons (trigger values), follows
`st.fragment(run_every=...)` timers (ForwardMsg.auto_rerun) and fetches the pictures a page
shows (/media/...), as a browser would. What it does not do is lay out and paint; the load test
checks against Debian's chromium that the two measure the same latency (README, "Serving a
class").

Only loopback addresses are allowed: this is a load tool for one's own server on this machine.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
import urllib.parse
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
WIDGET_KINDS = ("slider", "button", "checkbox", "selectbox", "number_input", "radio")


def check_loopback(url: str) -> urllib.parse.SplitResult:
    """The parsed URL; ValueError unless its host is on this machine (127.0.0.0/8, ::1)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"{url}: the load test only drives servers on this machine (127.0.0.1, "
                "localhost, ::1)"
            ) from None
    return parts


@dataclass
class Widget:
    """One widget the page drew: its id, kind and what is needed to change it."""

    id: str
    kind: str
    key: str
    label: str
    proto: object = None


@dataclass
class RunResult:
    """One run of the page script as the client saw it."""

    seconds: float
    status: str  # "ok", "fragment", "compile_error", "timeout", "closed"
    errors: list = field(default_factory=list)
    images: int = 0


class StreamlitClient:
    """One simulated student tab. All methods are coroutines on one asyncio loop."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        parts = check_loopback(base_url)
        self.http = f"{parts.scheme}://{parts.netloc}"
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}/_stcore/stream"
        self.host, self.port = parts.hostname, parts.port or (443 if scheme == "wss" else 80)
        self.timeout = timeout
        self.ws = None
        self.cookie = ""  # the proxy's sticky-session cookie, if any
        self.session_id = ""
        self.markdown: list[str] = []  # the markdown texts of the last full run
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, WidgetState] = {}
        self._indices: dict[str, int] = {}  # select_slider widget id -> option index
        self.fragments: dict[str, float] = {}  # fragment id -> run_every seconds
        self.errors: list[str] = []
        self.fragment_runs: list[float] = []  # finish times of fragment runs
        self.media_bytes = 0
        self.media_fetched = 0
        self.stale_media = 0
        self._fetches: set[asyncio.Task] = set()
        self._queue: asyncio.Queue = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self._run_errors: list[str] = []
        self._run_images: list[str] = []
        self._pending_auto: set[str] = set()

    # ----------------------------------------------------------------------------- connect
    async def connect(self, resume: str = "") -> None:
        """GET / (as a browser does first; a proxy sets its cookie there), then the websocket.

        resume: the id of an earlier session of this tab, to take it up again (as the frontend
        does after a dropped connection); the cookie from the first GET is kept.
        """
        if not self.cookie:
            status, headers, _ = await self._get("/")
            if status != 200:
                raise ConnectionError(f"GET / answered {status}")
            cookies = [v.split(";", 1)[0] for k, v in headers if k == "set-cookie"]
            self.cookie = "; ".join(cookies)
        extra = {"Cookie": self.cookie} if self.cookie else {}
        # the frontend's subprotocol list: "streamlit", an XSRF token, the session to resume
        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN", resume] if resume else ["streamlit"]
        self._queue = asyncio.Queue()
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=protocols,
            origin=self.http,
            additional_headers=extra,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass

    # -------------------------------------------------------------------------------- runs
    async def open_page(self, page: str, query: str = "") -> RunResult:
        """Ask for a page by its URL name (e.g. "softmax") and wait for the run to finish."""
        self.widgets.clear()
        self.values.clear()
        self._indices.clear()
        self.fragments.clear()
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        return await self._run(message)

    def find(self, key: str) -> Widget:
        for widget in self.widgets.values():
            if widget.key == key:
                return widget
        raise KeyError(
            f"no widget with key {key!r}; have {sorted(w.key for w in self.widgets.values())}"
        )

    def step_slider(self, key: str, steps: int) -> float:
        """Move a slider (or select_slider) `steps` steps from its value, within its range;
        record the new value and return it (nothing is sent yet)."""
        widget = self.find(key)
        proto = widget.proto
        if proto.options:  # select_slider: the value is the option's text, kept as an index
            low, high, step = 0, len(proto.options) - 1, 1
            value = self._indices.get(widget.id, proto.default[0])
        else:
            low, high, step = proto.min, proto.max, proto.step or 1
            current = self.values.get(widget.id)
            value = (
                current.double_array_value.data[0] if current else (proto.value or proto.default)[0]
            )
        new = min(high, max(low, value + steps * step))
        if new == value:  # at an end: go the other way
            new = min(high, max(low, value - steps * step))
        state = WidgetState(id=widget.id)
        if proto.options:
            self._indices[widget.id] = int(new)
            state.string_array_value.data[:] = [proto.options[int(new)]]
            new = proto.options[int(new)]
        else:
            state.double_array_value.data[:] = [new]
        self.values[widget.id] = state
        return new

    async def change(self) -> RunResult:
        """Send every widget's value (as the frontend does after a change); wait for the run."""
        return await self._run(self._rerun_message())

    async def click(self, key: str) -> RunResult:
        """Press a button: a trigger value for one run."""
        widget = self.find(key)
        message = self._rerun_message()
        state = message.rerun_script.widget_states.widgets.add()
        state.id = widget.id
        state.trigger_value = True
        return await self._run(message)

    def _rerun_message(self, fragment_id: str = "") -> BackMsg:
        message = BackMsg()
        message.rerun_script.page_script_hash = self.page_hash
        message.rerun_script.widget_states.widgets.extend(self.values.values())
        if fragment_id:
            message.rerun_script.fragment_id = fragment_id
            message.rerun_script.is_auto_rerun = True
        return message

    async def _run(self, message: BackMsg) -> RunResult:
        """Send a full rerun; wait for its script_finished (fragment runs in between are
        served as they come, as a browser's timers would)."""
        self._run_errors, self._run_images = [], []
        self.markdown = []
        self._drain()
        # a full run re-registers the fragments it draws (ForwardMsg.auto_rerun): drop the old
        # timers, as the frontend does
        self.fragments.clear()
        self._pending_auto.clear()
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        deadline = started + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                self.errors.append("timeout waiting for the page to finish")
                return RunResult(time.perf_counter() - started, "timeout")
            try:
                event = await asyncio.wait_for(self._queue.get(), left)
            except asyncio.TimeoutError:
                continue
            kind, value = event
            if kind == "closed":
                self.errors.append(f"websocket closed: {value}")
                return RunResult(time.perf_counter() - started, "closed")
            if kind == "finished" and value == FINISHED.FINISHED_SUCCESSFULLY:
                seconds = time.perf_counter() - started
                errors, images = list(self._run_errors), list(self._run_images)
                return RunResult(seconds, "ok", errors, len(images))
            if kind == "finished" and value == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                self.errors.append("compile error")
                return RunResult(time.perf_counter() - started, "compile_error")

    def _drain(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()

    # --------------------------------------------------------------------- fragment timers
    async def follow_fragments(self, until: float) -> None:
        """Serve the page's run_every fragments until `until` (time.perf_counter()), as the
        frontend's timers do: one outstanding rerun per fragment at a time."""
        last: dict[str, float] = {}
        while time.perf_counter() < until:
            now = time.perf_counter()
            for fragment_id, interval in list(self.fragments.items()):
                if fragment_id in self._pending_auto:
                    continue
                if now - last.get(fragment_id, 0.0) >= interval:
                    last[fragment_id] = now
                    self._pending_auto.add(fragment_id)
                    message = self._rerun_message(fragment_id)
                    try:
                        await self.ws.send(message.SerializeToString())
                    except websockets.ConnectionClosed as error:
                        self.errors.append(f"websocket closed: {error}")
                        return
            await asyncio.sleep(0.01)

    # ------------------------------------------------------------------------------ reader
    async def _read(self) -> None:
        try:
            async for data in self.ws:
                message = ForwardMsg()
                message.ParseFromString(data)
                self._handle(message)
        except websockets.ConnectionClosed as error:
            self._queue.put_nowait(("closed", str(error)))
            return
        self._queue.put_nowait(("closed", "server closed the connection"))

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = self.page_hash or message.new_session.page_script_hash
            self.session_id = message.new_session.initialize.session_id or self.session_id
        elif kind == "navigation":
            # with st.navigation the current page's hash comes here (new_session names app.py)
            self.page_hash = message.navigation.page_script_hash
        elif kind == "delta":
            self._delta(message.delta)
        elif kind == "auto_rerun":
            rerun = message.auto_rerun
            self.fragments[rerun.fragment_id] = rerun.interval
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                self.fragments.pop(fragment_id, None)
        elif kind == "script_finished":
            status = message.script_finished
            if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment_runs.append(time.perf_counter())
            # whatever ended (a fragment run, a full run the page asked for with st.rerun, a
            # run cut short by a newer one), the timers may fire again
            self._pending_auto.clear()
            self._queue.put_nowait(("finished", status))
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {message.page_not_found.page_name}")
        elif kind == "ref_hash":
            self.errors.append("a cached message was referenced (the client caches none)")

    def _delta(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "markdown":
            self.markdown.append(element.markdown.body)
        elif kind == "exception":
            self._note_error(f"exception: {element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            self._note_error(f"st.error: {element.alert.body[:200]}")
        elif kind == "imgs":
            for image in element.imgs.imgs:
                if image.url.startswith("/"):  # a browser fetches it as soon as it arrives
                    self._run_images.append(image.url)
                    task = asyncio.get_running_loop().create_task(self._fetch_image(image.url))
                    self._fetches.add(task)
                    task.add_done_callback(self._fetches.discard)
        elif kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            # "$$ID-<hash>-<key>" for widgets with a key
            key = proto.id.split("-", 2)[2] if proto.id.startswith("$$ID-") else proto.id
            self.widgets[proto.id] = Widget(proto.id, kind, key, proto.label, proto)

    def _note_error(self, text: str) -> None:
        self._run_errors.append(text)
        self.errors.append(text)

    # ------------------------------------------------------------------------ plain HTTP
    async def _fetch_image(self, url: str) -> None:
        try:
            status, _headers, body = await self._get(url)
        except (OSError, asyncio.TimeoutError) as error:
            self.errors.append(f"GET {url} failed: {error}")
            return
        if status == 404:
            # a newer frame replaced it before the request arrived (a browser would skip it)
            self.stale_media += 1
        elif status != 200:
            self.errors.append(f"GET {url} answered {status}")
        self.media_bytes += len(body)
        self.media_fetched += 1

    async def _get(self, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
        """A minimal HTTP/1.1 GET on a fresh connection (no dependency beyond the stdlib)."""
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), self.timeout
        )
        try:
            cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{cookie}"
                "Connection: close\r\nAccept-Encoding: identity\r\n\r\n".encode()
            )
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), self.timeout)
        finally:
            writer.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = [
            (name.strip().lower(), value.strip())
            for name, _, value in (line.partition(":") for line in lines[1:])
        ]
        if ("transfer-encoding", "chunked") in headers:
            body = _unchunk(body)
        return status, headers, body


def _unchunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out
