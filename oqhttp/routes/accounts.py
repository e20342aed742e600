"""Account routes: ajax login/logout and the password reset pages (authenticated mode
only; 404 in public mode)."""
from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

import bottle

from oqcore.errors import InvalidInput, NotFound
from oqhttp import auth
from oqhttp.responses import HTML_TYPE, error_response, text_response

if TYPE_CHECKING:
    from oqhttp.app import ServerContext

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


def install(app: bottle.Bottle, ctx: "ServerContext") -> None:
    """Add the account routes to ``app``."""
    settings = ctx.settings

    def _need_auth():
        if not ctx.auth_enabled:
            raise error_response(404, "Authentication is not enabled on this server "
                                 "([webui] authentication = false)")

    @app.post("/accounts/ajax_login/")
    def ajax_login() -> bottle.HTTPResponse:
        """POST /accounts/ajax_login/"""
        _need_auth()
        form = bottle.request.forms
        name, password = form.getunicode("username"), form.getunicode("password")
        if not name or password is None:
            raise InvalidInput('Please provide the "username" and "password" parameters')
        user = ctx.accounts.authenticate(name, password)
        if user is None:
            return error_response(403, "Invalid login")
        cookie = ctx.accounts.open_session(user.name, settings.session_hours)
        resp = text_response("Successful login")
        resp.set_cookie(auth.SESSION_COOKIE, cookie, path="/", httponly=True,
                        samesite="lax", max_age=int(settings.session_hours * 3600),
                        secure=bottle.request.urlparts.scheme == "https")
        return resp

    @app.post("/accounts/ajax_logout/")
    def ajax_logout() -> bottle.HTTPResponse:
        """POST /accounts/ajax_logout/"""
        _need_auth()
        ctx.accounts.close_session(bottle.request.get_cookie(auth.SESSION_COOKIE))
        resp = text_response("Successful logout")
        resp.delete_cookie(auth.SESSION_COOKIE, path="/")
        return resp

    @app.get("/reset_password/")
    def reset_password_page() -> bottle.HTTPResponse:
        """GET /reset_password/"""
        _need_auth()
        return page("Reset password", RESET_FORM)

    @app.post("/reset_password/")
    def reset_password_send() -> bottle.HTTPResponse:
        """POST /reset_password/"""
        _need_auth()
        email = (bottle.request.forms.getunicode("email") or "").strip()
        if not email or "@" not in email:
            raise InvalidInput('Please provide a valid "email" parameter', param="email")
        if not auth.smtp_configured(settings.smtp):
            return error_response(503, "E-mail is not configured on this server "
                                  "(openquake.cfg [smtp]); ask an administrator")
        base = (settings.base_url or settings.webapi.get("server") or
                "http://localhost:8800").rstrip("/")
        for user in ctx.accounts.users_by_email(email):
            token = ctx.accounts.create_reset_token(user.name, settings.reset_link_minutes)
            link = "%s/reset_password/confirm/%s" % (base, token)
            try:
                auth.send_mail(settings.smtp, user["email"], "OpenQuake engine: password "
                               "reset", auth.reset_mail_text(user.name, link,
                                                             settings.reset_link_minutes))
            except Exception as exc:  # the answer must not tell who exists
                log.error("cannot send the reset e-mail to %s: %s", user.name, exc)
        return page("Reset password", "<p>%s</p>" % html.escape(
            SENT % round(settings.reset_link_minutes)))

    @app.get("/reset_password/confirm/<token>")
    def reset_password_form(token: str) -> bottle.HTTPResponse:
        """GET /reset_password/confirm/<token>"""
        _need_auth()
        try:
            name = ctx.accounts.reset_token_user(token)
        except InvalidInput as exc:
            return page("Reset password", "<p>%s</p>" % html.escape(exc.msg), 400)
        return page("Reset password", CONFIRM_FORM % {
            "user": html.escape(name), "min": auth.MIN_PASSWORD,
            "token": html.escape(token)})

    @app.post("/reset_password/confirm/<token>")
    def reset_password_confirm(token: str) -> bottle.HTTPResponse:
        """POST /reset_password/confirm/<token>"""
        _need_auth()
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
