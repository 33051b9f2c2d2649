"""Starting the server: the store opened or created, the address chosen and bound, the
start-up lines printed (one fact a line, for people and scripts), then uvicorn until Ctrl-C.

Every problem before serving is a `ServeError`: one line for the terminal, exit 2.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from collections.abc import Callable

from matland.core.knowledge import Knowledge
from matland.core.records import record
from matland.workshop.aggregate import WorkshopRules
from matland.workshop.store import Settings, Store, StoreError, is_store

LOOPBACK = "127.0.0.1"
# Where a route lookup is asked for (no packet is sent: connecting a UDP socket only picks the
# interface the system would use). A documentation address (RFC 5737), never a real host.
_ROUTE_PROBE = ("192.0.2.1", 9)


class ServeError(Exception):
    pass


@record
class ServeOptions:
    store: str
    title: str | None
    roles: tuple[str, ...]
    summary: str = ""
    port: int = 8350
    bind: str | None = None
    anonymous: bool = False
    rounds: int = 1


def lan_address() -> str | None:
    """The address this machine has on its local network, or None (no network)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)
            address: str = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def all_addresses() -> list[str]:
    """The addresses `--bind 0.0.0.0` serves: loopback and the LAN address (if any)."""
    found = [LOOPBACK, "localhost"]
    lan = lan_address()
    return [*found, lan] if lan else found


def open_store(options: ServeOptions) -> tuple[Store, bool]:
    """The store, created or resumed (True when resumed)."""
    try:
        if is_store(options.store):
            store = Store.open(options.store)
            _same_workshop(store.state.settings, options)
            return store, True
        if not options.title or not options.roles:
            raise ServeError("a new workshop needs --title and --roles")
        settings = Settings(
            title=options.title,
            roles=options.roles,
            anonymous=options.anonymous,
            rounds=options.rounds,
            summary=options.summary,
        )
        return Store.create(options.store, settings), False
    except StoreError as error:
        raise ServeError(str(error)) from error


def _same_workshop(settings: Settings, options: ServeOptions) -> None:
    """Resuming with other settings would change the workshop under its participants."""
    asked = {
        "--title": (options.title, settings.title),
        "--roles": (options.roles or None, settings.roles),
        "--anonymous": (options.anonymous or None, settings.anonymous),
        "--rounds": (options.rounds if options.rounds != 1 else None, settings.rounds),
    }
    for flag, (given, held) in asked.items():
        if given is not None and given != held:
            raise ServeError(
                f"{options.store} holds the workshop '{settings.title}' with other settings "
                f"({flag}); leave {flag} out to resume it, or give a new --store"
            )


def bind(options: ServeOptions) -> tuple[socket.socket, str, list[str]]:
    """The listening socket, the address to print, and the addresses it answers to."""
    note = ""
    address = options.bind
    if address is None:
        address = lan_address() or LOOPBACK
        if address == LOOPBACK:
            note = "no local network found: serving on this machine only"
    try:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, options.port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {options.port} on {address} is in use (another server?); try --port"
            ) from error
        raise ServeError(f"cannot listen on {address}:{options.port}: {error.strerror}") from error
    sock.set_inheritable(True)
    port = sock.getsockname()[1]
    if address in ("0.0.0.0", "::"):
        served = all_addresses()
        shown = lan_address() or LOOPBACK
    else:
        served = [address, *(["localhost"] if address == LOOPBACK else [])]
        shown = address
    if note:
        print(f"note: {note}", flush=True)
    host = f"[{shown}]" if ":" in shown else shown
    return sock, f"http://{host}:{port}", served


def serve(
    options: ServeOptions,
    knowledge: Knowledge,
    rules: WorkshopRules,
    echo: Callable[[str], None],
) -> None:
    """Serve until Ctrl-C or SIGTERM; returns after a clean stop."""
    import uvicorn

    from matland.workshop.serve.app import create_app
    from matland.workshop.serve.security import Hosts
    from matland.workshop.serve.session import Session
    from matland.workshop.serve.views import Links

    store, resumed = open_store(options)
    try:
        sock, url, served = bind(options)
    except ServeError:
        store.close()
        raise
    settings = store.state.settings
    links = Links(
        join=f"{url}/",
        join_qr=f"{url}/?code={settings.code}",
        facilitator=f"{url}/facilitator/{settings.facilitator}",
    )
    session = Session(store, knowledge, rules)
    app, broadcaster = create_app(session, links, Hosts.of(served, sock.getsockname()[1]))
    # Handlers may run in threads (Starlette's pool for sync work): every record is made
    # now, before any of them starts, as records.record asks of threaded code.
    from matland.core.records import make_all

    make_all()
    if resumed:
        echo(f"resumed: {settings.title} ({len(store.state.active())} participants)")
    echo(f"join: {links.join}")
    echo(f"code: {settings.code}")
    echo(f"facilitator: {links.facilitator}")
    echo(f"projector: {url}/projector")
    echo(f"store: {store.path}")
    echo(_qr(links.join_qr))

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            broadcaster.stop()  # the live streams end, so the server stops at once
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    config = uvicorn.Config(
        app, log_level="warning", access_log=False, timeout_graceful_shutdown=3, lifespan="off"
    )
    try:
        Server(config).run(sockets=[sock])
    finally:
        broadcaster.stop()
        store.close()
        sock.close()


def _qr(url: str) -> str:
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out, compact=True, border=2)
    return out.getvalue().rstrip("\n")
