"""A team's own event webhook, as a load target: HTTP/1.1 keep-alive, one thread a connection,
answers 204 to each JSON event and counts them (printed on exit)."""
import http.server
import json
import signal
import sys

received = 0


class Events(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global received
        json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        received += 1
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Events)
    server.daemon_threads = True

    def stop(*_):
        print(f"team endpoint received {received} events", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()
