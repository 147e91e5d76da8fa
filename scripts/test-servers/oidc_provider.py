"""A real OpenID provider for the sign-in tests (oidc-provider-mock, from PyPI), on 127.0.0.1 only.

Usage: oidc_provider.py CONFIG.json   (run with the Python of scripts/install-deps' oidc venv)

The configuration (written by TestOIDCProvider.swift):
  portFile    written (atomically) with the bound port once the server accepts connections
  users       [{"sub": ..., "email": ..., "email_verified": ...}, ...]: the people the provider knows; the
              test chooses one by POSTing `sub` to the authorization URL, as the provider's form does
  tokenMaxAge the lifetime of its ID tokens, in seconds

Its issuer is the address it is reached at, http://127.0.0.1:PORT. The server exits when its standard input
closes, so it cannot outlive the test process that started it.
"""

import json
import os
import sys
import threading
from datetime import timedelta

import oidc_provider_mock
import werkzeug.serving


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
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
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
