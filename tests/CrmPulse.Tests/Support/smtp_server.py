"""A real SMTP server for the tests (Debian's python3-aiosmtpd) on 127.0.0.1.

Usage: smtp_server.py PORT MAILDIR [USER PASSWORD]
Each accepted message is a file in MAILDIR/new. With USER and PASSWORD, AUTH (PLAIN, LOGIN) is required before MAIL
and any other login is refused (535), so a delivered message proves the client authenticated. Prints "ready" when
listening; stops when its standard input closes.
"""
import sys
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False)


def main():
    port, maildir = int(sys.argv[1]), sys.argv[2]
    kwargs = {}
    if len(sys.argv) >= 5:
        kwargs = dict(authenticator=Authenticator(sys.argv[3], sys.argv[4]), auth_required=True, auth_require_tls=False)
    controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
