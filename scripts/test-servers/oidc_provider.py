"""A real OpenID provider for the sign-in tests (oidc-provider-mock, from PyPI), on 127.0.0.1 only.

Usage: oidc_provider.py CONFIG.json   (run with the Python of scripts/install-deps' oidc venv)

The configuration (written by TestOIDCProvider.swift):
  portFile    written (atomically) with the bound port once the server accepts connections
  users       [{"sub": ..., "email": ..., "email_verified": ...}, ...]: the people the provider knows; the
              test chooses one by POSTing `sub` to the authorization URL, as the provider's form does
  tokenMaxAge the lifetime of its ID tokens, in seconds

Its issuer is the address it is reached at, http://127.0.0.1:PORT. The server exits when its standard input
closes, so it cannot outlive the test process that started it.

It answers one request at a time. oidc-provider-mock keeps its state in plain Python objects without a lock
(the authorization endpoint reads and rewrites a deque of recent subjects on every sign-in), and the tests
sign in concurrently: a request that lost that race answered 500.
"""

import json
import os
import sys
import threading
from datetime import timedelta

import oidc_provider_mock
import werkzeug.serving


def one_at_a_time(app):
    """The WSGI app, entered by one request at a time (the response is built inside the call)."""
    lock = threading.Lock()

    def serve(environ, start_response):
        with lock:
            return list(app(environ, start_response))

    return serve


def main():
    with open(sys.argv[1]) as file:
        config = json.load(file)
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    users = [
        oidc_provider_mock.User(sub=user["sub"], claims={k: v for k, v in user.items() if k != "sub"})
        for user in config.get("users", [])
    ]
    app = oidc_provider_mock.app(
        require_nonce=True,
        access_token_max_age=timedelta(seconds=config.get("tokenMaxAge", 3600)),
        user_claims=users,
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, one_at_a_time(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port_file = config["portFile"]
    with open(port_file + ".tmp", "w") as file:
        file.write(str(server.server_port))
    os.rename(port_file + ".tmp", port_file)
    # Until the test process closes our standard input (or dies).
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
