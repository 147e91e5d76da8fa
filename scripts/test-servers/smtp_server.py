"""A real SMTP server for the Delivery tests (aiosmtpd), on 127.0.0.1 only.

Usage: smtp_server.py CONFIG.json

The configuration (written by TestSMTPServer.swift):
  port        0 for a free port, or the port to bind again after a restart
  folder      where each accepted message is written, as NNNNNN.json:
              {"mailFrom": ..., "recipients": [...], "data": <base64 of the raw message>}
  portFile    written (atomically) with the bound port once the server accepts connections
  auth        optional {"user": ..., "password": ...}: AUTH is then required before MAIL
  tls         optional {"cert": PEM, "key": PEM}: STARTTLS is then offered
  replies     optional {"address": "550 5.1.1 Mailbox unavailable", ...}: answered to RCPT TO

The server exits when its standard input closes, so it cannot outlive the test process that started it.
"""

import asyncio
import base64
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, folder, replies):
        self.folder = folder
        self.replies = {address.lower(): reply for address, reply in replies.items()}
        self.count = len([name for name in os.listdir(folder) if name.endswith(".json")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mailFrom": envelope.mail_from,
            "recipients": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content).decode("ascii"),
        }
        path = os.path.join(self.folder, "%06d.json" % self.count)
        with open(path + ".tmp", "w") as file:
            json.dump(record, file)
        os.rename(path + ".tmp", path)
        return "250 OK: queued"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        # handled=False makes aiosmtpd answer 535 itself; its default would leave the client waiting.
        return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)

    return authenticate


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


async def main(config):
    os.makedirs(config["folder"], exist_ok=True)
    recorder = Recorder(config["folder"], config.get("replies") or {})
    options = {"hostname": "localhost", "ident": "stedenband test SMTP"}
    tls = config.get("tls")
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls["cert"], tls["key"])
        options["tls_context"] = context
    auth = config.get("auth")
    if auth:
        options["authenticator"] = authenticator_for(auth["user"], auth["password"])
        options["auth_required"] = True
        # Tests exercise AUTH over plain connections too; production servers should never allow it.
        options["auth_require_tls"] = False
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(recorder, **options), host="127.0.0.1", port=config["port"], reuse_address=True
    )
    port = server.sockets[0].getsockname()[1]
    with open(config["portFile"] + ".tmp", "w") as file:
        file.write(str(port))
    os.rename(config["portFile"] + ".tmp", config["portFile"])
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with open(sys.argv[1]) as file:
        configuration = json.load(file)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(configuration))
