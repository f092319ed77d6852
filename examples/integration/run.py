"""The team's integration service: the STOP webhook and the booking sync worker, together.

`rehearse serve Scenarios/serve/hotel-stack.yaml --check -- python examples/integration/run.py`
runs it against the fakes (RUN_SECONDS bounds the run; the session ends when it exits).
"""
import os
import time

import stop_webhook
import sync_worker

if __name__ == "__main__":
    server = stop_webhook.serve()
    try:
        sync_worker.main()
    finally:
        server.shutdown()
