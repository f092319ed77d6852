"""Twilio's inbound STOP to HubSpot: the consent webhook a hotel team runs.

Twilio posts each inbound SMS to the messaging URL registered on the team's number. A STOP (or
START) is written to the contact with that phone in HubSpot, as its SMS legal basis, so every
system that reads HubSpot stops texting them.

Configuration (environment): as sync_worker.py, plus TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
TWILIO_BASE_URL / REHEARSE_TWILIO_URL, TWILIO_NUMBER (the team's number), WEBHOOK_PORT (default
8081). On start it registers http://127.0.0.1:WEBHOOK_PORT/sms as the number's SmsUrl.
"""
import http.server
import os
import threading
import urllib.parse

from hubspot import HubSpot
from hubspot.crm.contacts import PublicObjectSearchRequest, SimplePublicObjectInput
from twilio.rest import Client

HUBSPOT = os.environ.get("REHEARSE_HUBSPOT_URL") or os.environ.get("HUBSPOT_BASE_URL", "https://api.hubapi.com")
TWILIO = os.environ.get("REHEARSE_TWILIO_URL") or os.environ.get("TWILIO_BASE_URL")
PORT = int(os.environ.get("WEBHOOK_PORT", "8081"))
OPT_WORDS = {"STOP": "NOT_OPTED_IN", "STOPALL": "NOT_OPTED_IN", "UNSUBSCRIBE": "NOT_OPTED_IN", "START": "OPTED_IN"}

hubspot = HubSpot(access_token=os.environ.get("HUBSPOT_TOKEN", "pat-na1-webhook"), host=HUBSPOT)


def record(phone, basis):
    found = hubspot.crm.contacts.search_api.do_search(
        public_object_search_request=PublicObjectSearchRequest(
            filter_groups=[{"filters": [{"propertyName": "phone", "operator": "EQ", "value": phone}]}], limit=1
        )
    )
    for contact in found.results:
        hubspot.crm.contacts.basic_api.update(
            contact.id, simple_public_object_input=SimplePublicObjectInput(properties={"hs_legal_basis_sms": basis})
        )


class Inbound(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))
        basis = OPT_WORDS.get(form.get("Body", "").strip().upper())
        if basis:
            record(form["From"], basis)
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(b"<Response/>")

    def log_message(self, *args):
        pass


def serve():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Inbound)
    twilio = Client(os.environ.get("TWILIO_ACCOUNT_SID", "AC" + "0" * 32), os.environ.get("TWILIO_AUTH_TOKEN", "token"))
    if TWILIO:
        twilio.api.base_url = TWILIO
    twilio.incoming_phone_numbers.create(
        phone_number=os.environ.get("TWILIO_NUMBER", "+15005550006"), sms_url="http://127.0.0.1:%d/sms" % PORT
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    serve().serve_forever()
