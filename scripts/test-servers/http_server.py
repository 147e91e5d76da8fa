"""A small HTTP server for the webhook tests, on 127.0.0.1 only.

Usage: http_server.py CONFIG.json

The configuration (written by TestHTTPServer.swift):
  folder      where each request is written, as NNNNNN.json:
              {"method": ..., "path": ..., "headers": [[name, value], ...], "body": <base64>}
  portFile    written (atomically) with the bound port once the server accepts connections
  responses   [{"status": 500, "delay": 0.0, "hold": false, "location": null}, ...]: the answers, in order;
              the last one repeats. A delay holds the answer back (for timeout tests); "hold" holds it until
              the file releaseFile exists; the request is recorded first either way. "location" is sent as
              a Location header (for redirect tests).
  tls         optional {"cert": ..., "key": ...}: serve HTTPS with this certificate and key
  connections where each accepted TCP connection is recorded, as NNNNNN.conn, before any TLS or HTTP:
              proves that a client refused to connect, not merely that no request was read
  releaseFile see "hold"

The server exits when its standard input closes, so it cannot outlive the test process that started it.
"""

import base64
import http.server
import json
import os
import ssl
import sys
import threading
import time

lock = threading.Lock()
state = {"count": 0}


def handler_for(config):
    responses = config["responses"]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.handle_any()

        def do_GET(self):
            self.handle_any()

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                index = state["count"]
                state["count"] += 1
            record = {
                "method": self.command,
                "path": self.path,
                "headers": [[name, value] for name, value in self.headers.items()],
                "body": base64.b64encode(body).decode("ascii"),
            }
            path = os.path.join(config["folder"], "%06d.json" % (index + 1))
            with open(path + ".tmp", "w") as file:
                json.dump(record, file)
            os.rename(path + ".tmp", path)
            response = responses[min(index, len(responses) - 1)]
            if response.get("delay"):
                time.sleep(response["delay"])
            if response.get("hold"):
                while not os.path.exists(config["releaseFile"]):
                    time.sleep(0.02)
            answer = b'{"ok": true}' if 200 <= response["status"] < 300 else b'{"ok": false}'
            try:
                self.send_response(response["status"])
                if response.get("location"):
                    self.send_header("Location", response["location"])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format, *args):
            pass

    return Handler


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    with open(sys.argv[1]) as file:
        configuration = json.load(file)
    os.makedirs(configuration["folder"], exist_ok=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    os.makedirs(configuration["connections"], exist_ok=True)
    tls = configuration.get("tls")
    context = None
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls["cert"], tls["key"])

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        connections = 0

        def get_request(self):
            connection, address = super().get_request()
            Server.connections += 1
            path = os.path.join(configuration["connections"], "%06d.conn" % Server.connections)
            open(path, "w").close()
            if context:
                # The handshake runs in the request's thread, on first read, not in this accepting one.
                connection = context.wrap_socket(connection, server_side=True, do_handshake_on_connect=False)
            return connection, address

        def handle_error(self, request, client_address):
            pass

    server = Server(("127.0.0.1", 0), handler_for(configuration))
    port_file = configuration["portFile"]
    with open(port_file + ".tmp", "w") as file:
        file.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()
