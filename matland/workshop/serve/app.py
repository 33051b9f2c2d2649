"""The routes: each gathers a request into a typed form, calls the session, and renders a
template. Nothing here stores, scores or aggregates.

  /                      join (the code, a name or nothing, a role)
  /answer[/ITEM]         the questionnaire, one item a screen; POST saves one answer
  /done                  the end of a round
  /projector             the room's view (blind until Reveal), /projector/events its stream
  /facilitator/TOKEN     the facilitator's page, its stream, its actions, the report, export
  /static/NAME           the package's own CSS and JavaScript, nothing else
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.responses import StreamingResponse as Stream
from starlette.routing import Route

from matland.core.knowledge import Question
from matland.core.vocabulary import DIMENSIONS, NA, UNSURE
from matland.workshop.serve import views
from matland.workshop.serve.events import Broadcaster, stream
from matland.workshop.serve.security import (
    CSRF_COOKIE,
    Guard,
    Hosts,
    TooLarge,
    csrf_ok,
    csrf_token,
    read_form,
)
from matland.workshop.serve.session import AnswerForm, JoinForm, Refused, Session
from matland.workshop.store import Seat

SEAT_COOKIE = "matland_seat"
SEAT_DAYS = 7
STATIC = {"app.css": "text/css", "participant.js": "text/javascript", "live.js": "text/javascript"}
Handler = Callable[[Request], Awaitable[Response]]


def create_app(session: Session, links: views.Links, hosts: Hosts) -> tuple[Guard, Broadcaster]:
    """The application behind its guard, and the broadcaster to stop its streams with."""
    pages = views.environment()
    broadcaster = Broadcaster()
    session.listeners.append(broadcaster.notify)
    settings = session.settings

    def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        token, new = csrf_token(request)
        html = pages.get_template(name).render(
            settings=settings, state=session.state, csrf=token, **context
        )
        response = HTMLResponse(html, status)
        if new:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        return response

    def refused(request: Request, problem: Refused) -> Response:
        if wants_json(request):
            return JSONResponse({"error": problem.message}, problem.status)
        return page(request, "message.html", problem.status, message=problem.message)

    async def posted(request: Request) -> dict[str, str]:
        try:
            form = await read_form(request)
        except TooLarge:
            raise Refused("That is too much to send at once.", 413) from None
        if not csrf_ok(request, form):
            raise Refused("The page was out of date; reload it and try again.", 403)
        return form

    def seat_of(request: Request) -> Seat | None:
        token: str | None = request.cookies.get(SEAT_COOKIE)
        return session.state.seat_for(token)

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Handler:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Refused as problem:
                return refused(request, problem)

        return run

    # -------------------------------------------------------------- participants

    async def home(request: Request) -> Response:
        if seat_of(request) is not None:
            return RedirectResponse("/answer", 303)
        code = request.query_params.get("code", "")[:12]
        return page(request, "join.html", code=code, error="")

    async def join(request: Request) -> Response:
        form = await posted(request)
        data = JoinForm(form.get("code", ""), form.get("name", ""), form.get("role", ""))
        try:
            seat, token = session.join(data)
        except Refused as problem:
            if wants_json(request):
                raise
            return page(
                request, "join.html", problem.status, code=data.code[:12], error=problem.message
            )
        response: Response = RedirectResponse("/answer", 303)
        if wants_json(request):
            response = JSONResponse({"seat": seat.id, "next": "/answer"})
        response.set_cookie(
            SEAT_COOKIE, token, max_age=SEAT_DAYS * 86400, httponly=True, samesite="lax"
        )
        return response

    def participant(request: Request) -> Seat:
        seat = seat_of(request)
        if seat is None:
            raise Refused("Join the workshop first (scan the code on the screen).", 401)
        session.allow(seat)
        return seat

    async def resume(request: Request) -> Response:
        seat = seat_of(request)
        if seat is None:
            return RedirectResponse("/", 303)
        answered = seat.answers[session.state.round]
        for question in session.items(seat):
            if question.id not in answered:
                return RedirectResponse(f"/answer/{question.id}", 303)
        return RedirectResponse("/done", 303)

    def item_context(seat: Seat, question: Question) -> dict[str, Any]:
        items = session.items(seat)
        index = items.index(question)
        round_ = session.state.round
        given = seat.answers[round_].get(question.id)
        earlier = seat.answers[1].get(question.id) if round_ == 2 else None
        return {
            "seat": seat,
            "question": question,
            "group": next(g for g in session.knowledge.groups if g.id == question.group),
            "index": index,
            "total": len(items),
            "done": session.progress(seat)[0],
            "back": items[index - 1].id if index else None,
            "given": given,
            "chosen": given or earlier,
            "feedback": session.feedback(seat, question) if round_ == 2 else None,
            "may_not_apply": question.group not in DIMENSIONS,  # `n/a` offered
        }

    async def item(request: Request) -> Response:
        seat = participant(request)
        question = session.knowledge.questions.get(request.path_params["item"])
        if question is None or question not in session.items(seat):
            return RedirectResponse("/answer", 303)
        if not session.state.open:
            return RedirectResponse("/done", 303)
        return page(request, "item.html", error="", **item_context(seat, question))

    async def save(request: Request) -> Response:
        seat = participant(request)
        form = await posted(request)
        raw = UNSURE if form.get("unsure") else NA if form.get("na") else form.get("value", "")
        data = AnswerForm(
            request.path_params["item"], raw, form.get("note", ""), form.get("reason", "")
        )
        try:
            session.answer(seat, data)
        except Refused as problem:
            question = session.knowledge.questions.get(data.item)
            if wants_json(request) or question is None or question not in session.items(seat):
                raise
            context = item_context(seat, question)
            return page(request, "item.html", problem.status, error=problem.message, **context)
        done, total = session.progress(seat)
        if wants_json(request):
            return JSONResponse({"saved": True, "item": data.item, "done": done, "total": total})
        items = session.items(seat)
        index = items.index(session.knowledge.questions[data.item])
        if form.get("go") == "back" and index:
            return RedirectResponse(f"/answer/{items[index - 1].id}", 303)
        if index + 1 < len(items):
            return RedirectResponse(f"/answer/{items[index + 1].id}", 303)
        return RedirectResponse("/done", 303)

    async def done(request: Request) -> Response:
        seat = participant(request)
        answered, total = session.progress(seat)
        items = session.items(seat)
        touched = seat.answers[session.state.round]
        missing = next((q for q in items if q.id not in touched), None)
        first = items[0].id if items else ""
        return page(
            request,
            "done.html",
            seat=seat,
            done=answered,
            total=total,
            missing=missing,
            first=first,
        )

    # -------------------------------------------------------------- the room

    def projector_view() -> Any:
        return views.projector_parts(session, pages, links)

    async def projector(request: Request) -> Response:
        return page(request, "projector.html", parts=projector_view())

    async def projector_events(request: Request) -> Response:
        return sse(stream(broadcaster, projector_view))

    # -------------------------------------------------------------- the facilitator

    def facilitator(handler: Callable[[Request], Awaitable[Response]]) -> Handler:
        async def run(request: Request) -> Response:
            if not hmac.compare_digest(request.path_params["token"], settings.facilitator):
                return page(request, "message.html", 404, message="There is no such page.")
            return await handler(request)

        return run

    def base() -> str:
        return f"/facilitator/{settings.facilitator}"

    async def facilitator_page(request: Request) -> Response:
        token, _ = csrf_token(request)
        parts = views.facilitator_parts(session, pages, token, base())
        return page(request, "facilitator.html", parts=parts, base=base(), links=links, done="")

    async def facilitator_events(request: Request) -> Response:
        token, _ = csrf_token(request)
        return sse(
            stream(broadcaster, lambda: views.facilitator_parts(session, pages, token, base()))
        )

    async def act(request: Request) -> Response:
        form = await posted(request)
        action = form.get("action", "")
        if action == "export":
            import os

            from matland.workshop.serve.export import export_files

            folder = os.path.dirname(session.store.path)
            written = export_files(session.state, folder, session.knowledge, session.rules)
            token, _ = csrf_token(request)
            parts = views.facilitator_parts(session, pages, token, base())
            return page(
                request, "facilitator.html", parts=parts, base=base(), links=links, done=written
            )
        session.act(action, form.get("seat", ""))
        return RedirectResponse(base(), 303)

    async def report(request: Request) -> Response:
        from matland.render.workshop import WorkshopOptions, workshop_renderer

        if not session.state.active():
            return page(request, "message.html", message="No answers yet.")
        workshop = session.current()
        html = workshop_renderer("html")(workshop, WorkshopOptions(session.knowledge))
        return HTMLResponse(html)

    async def rounds(request: Request) -> Response:
        compared = session.rounds()
        if compared is None:
            return page(request, "message.html", message="Round two has not been opened.")
        return page(request, "rounds.html", rounds=compared, knowledge=session.knowledge)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("Not found.", 404)
        body = resources.files("matland.workshop.serve").joinpath("static").joinpath(name)
        return Response(
            body.read_bytes(), headers={"cache-control": "no-cache"}, media_type=STATIC[name]
        )

    routes = [
        Route("/", guarded(home)),
        Route("/join", guarded(join), methods=["POST"]),
        Route("/answer", guarded(resume)),
        Route("/answer/{item}", guarded(item), methods=["GET"]),
        Route("/answer/{item}", guarded(save), methods=["POST"]),
        Route("/done", guarded(done)),
        Route("/projector", guarded(projector)),
        Route("/projector/events", projector_events),
        Route("/facilitator/{token}", facilitator(guarded(facilitator_page))),
        Route("/facilitator/{token}/events", facilitator(facilitator_events)),
        Route("/facilitator/{token}/act", facilitator(guarded(act)), methods=["POST"]),
        Route("/facilitator/{token}/report.html", facilitator(guarded(report))),
        Route("/facilitator/{token}/rounds", facilitator(guarded(rounds))),
        Route("/static/{name}", static),
    ]
    return Guard(Starlette(routes=routes), hosts), broadcaster


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def sse(events: Any) -> Response:
    return Stream(
        events,
        media_type="text/event-stream",
        headers={"cache-control": "no-cache", "x-accel-buffering": "no"},
    )
