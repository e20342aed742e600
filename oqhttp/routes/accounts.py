"""Account routes: ajax login/logout and the password reset pages (authenticated mode
only; 404 in public mode). Logins and reset requests are rate-limited (429 with
``Retry-After``); reset e-mails are sent by a background thread."""
from __future__ import annotations

import html
import logging

import bottle

from oqcore.errors import InvalidInput, NotFound
from oqhttp import auth
from oqhttp.app import ServerContext, request_context
from oqhttp.ratelimit import seconds
from oqhttp.responses import HTML_TYPE, error_response, text_response

log = logging.getLogger("oqhttp.accounts")

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>%(title)s</title></head>
<body><h1>%(title)s</h1>%(body)s</body></html>
"""
RESET_FORM = """<p>Enter the e-mail address of your account: a link to choose a new
password will be sent to it.</p>
<form method="post" action="/reset_password/">
<label>E-mail <input type="email" name="email" required></label>
<button type="submit">Send</button></form>"""
CONFIRM_FORM = """<p>Choose a new password for %(user)s (at least %(min)d characters).</p>
<form method="post" action="/reset_password/confirm/%(token)s">
<label>New password <input type="password" name="new_password" required></label>
<label>Again <input type="password" name="new_password2" required></label>
<button type="submit">Change</button></form>"""
SENT = ("If an account has this address, an e-mail with a link to reset its password "
        "has been sent. The link is valid for %d minutes.")


def page(title: str, body: str, status: int = 200) -> bottle.HTTPResponse:
    """An HTML page."""
    return text_response(PAGE % {"title": html.escape(title), "body": body}, status,
                         HTML_TYPE)


def _context() -> ServerContext:
    """The server context, after checking that authentication is on (404 otherwise)."""
    ctx = request_context()
    if not ctx.auth_enabled:
        raise error_response(404, "Authentication is not enabled on this server "
                             "([webui] authentication = false)")
    return ctx


def client_address() -> str:
    """The address of the peer of this request's connection (``REMOTE_ADDR``, never a
    header the client may forge)."""
    return bottle.request.environ.get("REMOTE_ADDR") or "unknown"


def too_many(exc: auth.Throttled) -> bottle.HTTPResponse:
    """The 429 answer of a throttled request, with ``Retry-After`` in seconds."""
    return error_response(429, str(exc), headers={"Retry-After": str(seconds(exc.wait))})


def ajax_login() -> bottle.HTTPResponse:
    """POST /accounts/ajax_login/"""
    ctx = _context()
    form = bottle.request.forms
    name, password = form.getunicode("username"), form.getunicode("password")
    if not name or password is None:
        raise InvalidInput('Please provide the "username" and "password" parameters')
    try:
        user = ctx.limits.login(ctx.accounts, name, password, client_address())
    except auth.Throttled as exc:
        log.warning("login of %r from %s throttled", name[:150], client_address())
        return too_many(exc)
    if user is None:
        return error_response(403, "Invalid login")
    hours = ctx.settings.session_hours
    cookie = ctx.accounts.open_session(user.name, hours)
    resp = text_response("Successful login")
    resp.set_cookie(auth.SESSION_COOKIE, cookie, path="/", httponly=True,
                    samesite="lax", max_age=int(hours * 3600),
                    secure=bottle.request.urlparts.scheme == "https")
    return resp


def ajax_logout() -> bottle.HTTPResponse:
    """POST /accounts/ajax_logout/"""
    ctx = _context()
    ctx.accounts.close_session(bottle.request.get_cookie(auth.SESSION_COOKIE))
    resp = text_response("Successful logout")
    resp.delete_cookie(auth.SESSION_COOKIE, path="/")
    return resp


def reset_password_page() -> bottle.HTTPResponse:
    """GET /reset_password/"""
    _context()
    return page("Reset password", RESET_FORM)


def reset_password_send() -> bottle.HTTPResponse:
    """POST /reset_password/: the same answer, at once, whether or not an account has
    the address; the e-mail goes out from the mailer thread."""
    ctx = _context()
    settings = ctx.settings
    email = (bottle.request.forms.getunicode("email") or "").strip()
    if not email or "@" not in email or len(email) > 254:
        raise InvalidInput('Please provide a valid "email" parameter', param="email")
    if not auth.smtp_configured(settings.smtp):
        return error_response(503, "E-mail is not configured on this server "
                              "(openquake.cfg [smtp]); ask an administrator")
    try:
        ctx.limits.reset_request(email, client_address())
    except auth.Throttled as exc:
        return too_many(exc)
    base = (settings.base_url or settings.webapi.get("server") or
            "http://localhost:8800")
    ctx.mailer.submit(email, base)
    return page("Reset password", "<p>%s</p>" % html.escape(
        SENT % round(settings.reset_link_minutes)))


def reset_password_form(token: str) -> bottle.HTTPResponse:
    """GET /reset_password/confirm/<token>"""
    ctx = _context()
    try:
        name = ctx.accounts.reset_token_user(token)
    except InvalidInput as exc:
        return page("Reset password", "<p>%s</p>" % html.escape(exc.msg), 400)
    return page("Reset password", CONFIRM_FORM % {
        "user": html.escape(name), "min": auth.MIN_PASSWORD,
        "token": html.escape(token)})


def reset_password_confirm(token: str) -> bottle.HTTPResponse:
    """POST /reset_password/confirm/<token>"""
    ctx = _context()
    form = bottle.request.forms
    new, again = form.getunicode("new_password"), form.getunicode("new_password2")
    if not new:
        raise InvalidInput('Please provide the "new_password" parameter',
                           param="new_password")
    if again is not None and again != new:
        raise InvalidInput("The two passwords differ", param="new_password2")
    try:
        ctx.accounts.use_reset_token(token, new)
    except NotFound:
        raise InvalidInput("This password reset link is invalid or has expired: "
                           "ask for a new one") from None
    return page("Reset password", "<p>Your password has been changed: you can log "
                "in with it.</p>")


#: (method, path, handler) of every account route
ROUTES = (
    ("POST", "/accounts/ajax_login/", ajax_login),
    ("POST", "/accounts/ajax_logout/", ajax_logout),
    ("GET", "/reset_password/", reset_password_page),
    ("POST", "/reset_password/", reset_password_send),
    ("GET", "/reset_password/confirm/<token>", reset_password_form),
    ("POST", "/reset_password/confirm/<token>", reset_password_confirm),
)


def install(app: bottle.Bottle, ctx: ServerContext) -> None:
    """Add the account routes to ``app`` (``ctx`` is found through the request)."""
    for method, path, handler in ROUTES:
        app.route(path, method, handler)
