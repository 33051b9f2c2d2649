"""The live stream of a page: one server-sent-events connection each (browsers allow about
six to one origin, and the facilitator's laptop shows the projector and the facilitator page
at once). On connect a full snapshot of the page's parts; then, when the workshop changes,
only the parts that changed. The browser's EventSource reconnects by itself and is sent a
snapshot again, so a dropped connection costs nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

# Changes closer together than this go out as one (two hundred phones answering at once
# would otherwise redraw the projector two hundred times a second).
COALESCE_S = 0.2
KEEPALIVE_S = 10.0  # a line now and then keeps the connection open, and the times fresh
RETRY_MS = 1000  # how soon the browser reconnects

View = Callable[[], Mapping[str, Any]]


class Broadcaster:
    """Wakes every open stream when the workshop changes; stops them all on shutdown."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self.stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def _current(self) -> asyncio.Event:
        if self._event is None:
            self._event = asyncio.Event()
            self._loop = asyncio.get_running_loop()
        return self._event

    def notify(self) -> None:
        """Called on each change (from the event loop's thread, or any other)."""
        if self._event is None or self._loop is None:
            return
        event, self._event = self._event, None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            event.set()
        else:
            self._loop.call_soon_threadsafe(event.set)

    def stop(self) -> None:
        self.stopping = True
        self.notify()

    async def wait(self, timeout: float) -> bool:
        """Until the next change (True) or the timeout (False)."""
        try:
            await asyncio.wait_for(self._current().wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True


def message(kind: str, data: Mapping[str, Any]) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {kind}\ndata: {body}\n\n"


async def stream(broadcaster: Broadcaster, view: View) -> AsyncIterator[str]:
    """The stream of one page: `snapshot` first, then `change` with the parts that changed."""
    last = dict(view())
    yield f"retry: {RETRY_MS}\n" + message("snapshot", last)
    while not broadcaster.stopping:
        changed = await broadcaster.wait(KEEPALIVE_S)
        if broadcaster.stopping:
            break
        if changed:
            await asyncio.sleep(COALESCE_S)  # let the changes of this moment gather
        new = dict(view())  # also after a quiet spell: "last answer 2 min ago" moves on
        parts = {k: v for k, v in new.items() if last.get(k) != v}
        last = new
        yield message("change", parts) if parts else ": keep-alive\n\n"
