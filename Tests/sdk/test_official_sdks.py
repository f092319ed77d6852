"""The vendors' official SDKs against `rehearse serve`, used as integration code uses them.

Run by scripts/sdk-tests.sh, which starts `rehearse serve Scenarios/serve/hotel-stack.yaml`,
points REHEARSE_SERVE_JSON at its serve.json, and afterwards checks that the results database
holds every message these tests had accepted (the ledger in REHEARSE_SDK_LEDGER).
"""
import base64
import http.server
import json
import os
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

MANIFEST = json.load(open(os.environ["REHEARSE_SERVE_JSON"]))
LEDGER = os.environ.get("REHEARSE_SDK_LEDGER")
PLATFORMS = MANIFEST["platforms"]


def base(name):
    return PLATFORMS[name]["base_url"]


def phone(n):
    return "+1555%07d" % n


def note(kind, vendor_id, customer):
    """Records a message a vendor accepted, for the check after the session ends."""
    if LEDGER:
        with open(LEDGER, "a") as f:
            f.write(json.dumps({"kind": kind, "id": vendor_id, "customer": customer}) + "\n")


def plain(method, url, body=None, headers=None):
    """A plain HTTP call (Braze and The Trade Desk have no official Python SDK)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"null")


class HubSpotSDK(unittest.TestCase):
    def setUp(self):
        from hubspot import HubSpot

        self.client = HubSpot(access_token="pat-na1-rehearsal", host=base("hubspot"))
        self.booked = PLATFORMS["hubspot"]["fields"]["converted"]["name"]

    def test_pages_through_contacts_as_a_sync_worker_would(self):
        page = self.client.crm.contacts.basic_api.get_page(limit=100, properties=["email", "customer_id", self.booked])
        self.assertEqual(len(page.results), 100)
        self.assertEqual(page.results[0].properties["customer_id"], "cust-0")
        self.assertIn(page.results[0].properties[self.booked], PLATFORMS["hubspot"]["fields"]["converted"]["values"])
        after = page.paging.next.after
        second = self.client.crm.contacts.basic_api.get_page(limit=100, after=after)
        self.assertEqual(second.results[0].id, "101")

    def test_reads_by_email_and_updates_a_property(self):
        contact = self.client.crm.contacts.basic_api.get_by_id("cust-7@rehearsal.test", id_property="email")
        self.assertEqual(contact.id, "8")
        from hubspot.crm.contacts import SimplePublicObjectInput

        updated = self.client.crm.contacts.basic_api.update(
            "8", simple_public_object_input=SimplePublicObjectInput(properties={"firstname": "Grace"})
        )
        self.assertEqual(updated.properties["firstname"], "Grace")

    def test_unknown_property_is_a_validation_error(self):
        from hubspot.crm.contacts import SimplePublicObjectInput
        from hubspot.crm.contacts.exceptions import ApiException

        with self.assertRaises(ApiException) as caught:
            self.client.crm.contacts.basic_api.update(
                "8", simple_public_object_input=SimplePublicObjectInput(properties={"no_such_property": "x"})
            )
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(json.loads(caught.exception.body)["category"], "VALIDATION_ERROR")

    def test_search_on_lastmodifieddate_with_a_high_water_mark(self):
        from hubspot.crm.contacts import PublicObjectSearchRequest

        request = PublicObjectSearchRequest(
            filter_groups=[{"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE", "value": "0"}]}],
            sorts=[{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
            properties=["lastmodifieddate", self.booked],
            limit=100,
        )
        found = self.client.crm.contacts.search_api.do_search(public_object_search_request=request)
        self.assertGreater(found.total, 0)
        stamps = [c.properties["lastmodifieddate"] for c in found.results]
        self.assertEqual(stamps, sorted(stamps))

    def test_batch_upsert_by_email(self):
        from hubspot.crm.contacts import (
            BatchInputSimplePublicObjectBatchInputUpsert,
            SimplePublicObjectBatchInputUpsert,
        )

        batch = BatchInputSimplePublicObjectBatchInputUpsert(
            inputs=[
                SimplePublicObjectBatchInputUpsert(
                    id="cust-9@rehearsal.test", id_property="email", properties={"lastname": "Hopper"}
                )
            ]
        )
        result = self.client.crm.contacts.batch_api.upsert(batch_input_simple_public_object_batch_input_upsert=batch)
        self.assertEqual(result.results[0].id, "10")

    def test_properties_free_text_search_get_all_and_archive(self):
        props = self.client.crm.properties.core_api.get_all(object_type="contacts")
        names = {p.name for p in props.results}
        self.assertIn(self.booked, names)
        booked = next(p for p in props.results if p.name == self.booked)
        self.assertEqual([o.value for o in booked.options], PLATFORMS["hubspot"]["fields"]["converted"]["values"])
        from hubspot.crm.contacts import PublicObjectSearchRequest

        found = self.client.crm.contacts.search_api.do_search(
            public_object_search_request=PublicObjectSearchRequest(query="cust-1234@", limit=10))
        self.assertEqual([c.id for c in found.results], ["1235"])
        everyone = self.client.crm.contacts.get_all()
        self.assertGreaterEqual(len(everyone), MANIFEST["customers"])
        self.client.crm.contacts.basic_api.archive("1235")

    def test_a_burst_past_190_requests_in_ten_seconds_is_throttled(self):
        from hubspot import HubSpot
        from hubspot.crm.contacts.exceptions import ApiException

        burst = HubSpot(access_token="pat-na1-burst", host=base("hubspot"))  # its own private app, its own limit
        throttled = None
        for _ in range(250):
            try:
                burst.crm.contacts.basic_api.get_by_id("1")
            except ApiException as e:
                if e.status == 429:
                    throttled = e
                    break
                raise
        self.assertIsNotNone(throttled, "no 429 within 250 requests")
        self.assertEqual(throttled.headers["X-HubSpot-RateLimit-Max"], "190")
        self.assertEqual(json.loads(throttled.body)["policyName"], "TEN_SECONDLY_ROLLING")


class InboundCollector(http.server.BaseHTTPRequestHandler):
    received = []
    signatures = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        InboundCollector.received.append(dict(urllib.parse.parse_qsl(self.rfile.read(length).decode())))
        InboundCollector.signatures.append(self.headers.get("X-Twilio-Signature"))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        self.wfile.write(b"<Response/>")

    def log_message(self, *args):
        pass


class TwilioSDK(unittest.TestCase):
    def setUp(self):
        from twilio.rest import Client

        self.client = Client("AC" + "0" * 32, "auth-token")
        self.client.api.base_url = base("twilio")

    def test_a_message_body_is_redacted(self):
        from twilio.base.exceptions import TwilioRestException

        for n in range(300, 400):
            try:
                sent = self.client.messages.create(to=phone(n), from_="+15005550006", body="Your code is 1234")
                note("sms", sent.sid, n)
                break
            except TwilioRestException as e:
                self.assertEqual(e.code, 21610)
        redacted = self.client.messages(sent.sid).update(body="")
        self.assertEqual(redacted.body, "")

    def test_invalid_number_is_21211(self):
        from twilio.base.exceptions import TwilioRestException

        with self.assertRaises(TwilioRestException) as caught:
            self.client.messages.create(to="12345", from_="+15005550006", body="hi")
        self.assertEqual(caught.exception.code, 21211)
        self.assertEqual(caught.exception.status, 400)

    def test_a_message_is_created_fetched_and_listed(self):
        from twilio.base.exceptions import TwilioRestException

        sent = None
        for n in range(200):
            try:
                sent = self.client.messages.create(to=phone(n), from_="+15005550006", body="Your upgrade awaits")
                note("sms", sent.sid, n)
                break
            except TwilioRestException as e:
                self.assertEqual(e.code, 21610)  # not opted in: the only refusal expected here
        self.assertIsNotNone(sent)
        self.assertIn(sent.status, ("queued", "delivered"))
        fetched = self.client.messages(sent.sid).fetch()
        self.assertEqual(fetched.to, sent.to)
        listed = self.client.messages.list(to=sent.to, limit=20)
        self.assertIn(sent.sid, [m.sid for m in listed])

    def test_a_customers_stop_reaches_the_messaging_url_and_later_sends_get_21610(self):
        from twilio.base.exceptions import TwilioRestException

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), InboundCollector)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = "http://127.0.0.1:%d/sms" % server.server_address[1]
        number = self.client.incoming_phone_numbers.create(phone_number="+15005550006", sms_url=url)
        self.assertEqual(number.sms_url, url)
        deadline = time.time() + 60
        while time.time() < deadline and not any(m.get("Body") == "STOP" for m in InboundCollector.received):
            time.sleep(0.2)
        server.shutdown()
        i, stop = next((i, m) for i, m in enumerate(InboundCollector.received) if m.get("Body") == "STOP")
        from twilio.request_validator import RequestValidator

        # Signed as Twilio signs: the handler's own validator accepts it with the account's token.
        self.assertTrue(RequestValidator("auth-token").validate(url, stop, InboundCollector.signatures[i]))
        self.assertFalse(RequestValidator("another-token").validate(url, stop, InboundCollector.signatures[i]))
        with self.assertRaises(TwilioRestException) as caught:
            self.client.messages.create(to=stop["From"], from_="+15005550006", body="Come back!")
        self.assertEqual(caught.exception.code, 21610)


class HubSpotWebhooks(unittest.TestCase):
    def test_property_changes_arrive_signed_as_hubspot_signs_them(self):
        from hubspot.utils.signature import Signature

        bodies = []

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                bodies.append((body, self.headers.get("X-HubSpot-Signature-v3"), self.headers.get("X-HubSpot-Request-Timestamp")))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        target = "http://127.0.0.1:%d/hubspot-events" % server.server_address[1]
        auth = {"Authorization": "Bearer developer-key"}
        booked = PLATFORMS["hubspot"]["fields"]["converted"]["name"]
        status, _, _ = plain("PUT", base("hubspot") + "/webhooks/v3/1/settings", {"targetUrl": target}, auth)
        self.assertEqual(status, 200)
        status, _, body = plain(
            "POST", base("hubspot") + "/webhooks/v3/1/subscriptions",
            {"eventType": "contact.propertyChange", "propertyName": booked, "active": True}, auth)
        self.assertEqual(status, 201)
        deadline = time.time() + 60
        while time.time() < deadline and not bodies:
            time.sleep(0.2)
        server.shutdown()
        self.assertTrue(bodies, "no contact.propertyChange within a minute")
        body, signature, timestamp = bodies[0]
        event = json.loads(body)[0]
        self.assertEqual(event["subscriptionType"], "contact.propertyChange")
        self.assertEqual(event["propertyName"], booked)
        secret = MANIFEST["webhooks"]["hubspot"]["client_secret"]
        self.assertTrue(Signature.is_valid(signature=signature, client_secret=secret, request_body=body,
                                           http_uri=target, http_method="POST", signature_version="v3", timestamp=timestamp))


class SegmentSDK(unittest.TestCase):
    def test_identify_and_track_are_accepted_in_a_batch(self):
        import segment.analytics as analytics

        errors = []
        analytics.write_key = "rehearsal-write-key"
        analytics.host = base("segment")
        analytics.sync_mode = True
        analytics.on_error = lambda error, items: errors.append(error)
        analytics.identify("cust-11", {"plan": "gold"})
        analytics.track("cust-11", "Viewed Offer", {"offer": "20% off"})
        analytics.flush()
        self.assertEqual(errors, [])


class SendGridSDK(unittest.TestCase):
    def test_mail_send_is_202_with_a_message_id(self):
        from sendgrid import SendGridAPIClient
        from sendgrid.helpers.mail import Mail

        client = SendGridAPIClient(api_key="SG.rehearsal", host=base("sendgrid"))
        message = Mail(
            from_email="stays@hotel.example",
            to_emails="cust-12@rehearsal.test",
            subject="Your stay",
            html_content="<p>Welcome back</p>",
        )
        response = client.send(message)
        self.assertEqual(response.status_code, 202)
        note("email", response.headers["X-Message-Id"], 12)


class KlaviyoSDK(unittest.TestCase):
    def setUp(self):
        from klaviyo_api import KlaviyoAPI

        self.client = KlaviyoAPI("pk_rehearsal", max_retries=0, test_host=base("klaviyo"))

    def test_profiles_are_listed_and_a_duplicate_is_a_409(self):
        profiles = self.client.Profiles.get_profiles()
        data = profiles["data"] if isinstance(profiles, dict) else profiles.data
        self.assertEqual(len(data), 20)
        from openapi_client.exceptions import ApiException

        with self.assertRaises(ApiException) as caught:
            self.client.Profiles.create_profile(
                {"data": {"type": "profile", "attributes": {"email": "cust-13@rehearsal.test"}}}
            )
        self.assertEqual(caught.exception.status, 409)


    def test_create_or_update_profile_updates_a_customer(self):
        body = {"data": {"type": "profile", "attributes": {"email": "cust-17@rehearsal.test", "properties": {"tier": "gold"}}}}
        result = self.client.Profiles.create_or_update_profile(body)
        data = result["data"] if isinstance(result, dict) else result.data
        attributes = data["attributes"] if isinstance(data, dict) else data.attributes
        external = attributes["external_id"] if isinstance(attributes, dict) else attributes.external_id
        self.assertEqual(external, "cust-17")


class BrazeHTTP(unittest.TestCase):
    auth = {"Authorization": "Bearer braze-rest-key"}

    def test_users_track_and_export(self):
        status, _, body = plain(
            "POST", base("braze") + "/users/track", {"attributes": [{"external_id": "cust-14", "booked": True}]}, self.auth
        )
        self.assertEqual(status, 201)
        self.assertEqual(body["attributes_processed"], 1)
        status, _, body = plain("POST", base("braze") + "/users/export/ids", {"external_ids": ["cust-14"]}, self.auth)
        self.assertEqual(body["users"][0]["external_id"], "cust-14")

    def test_canvas_trigger_dispatches(self):
        status, _, body = plain(
            "POST", base("braze") + "/canvas/trigger/send",
            {"canvas_id": "welcome-back", "recipients": [{"external_user_id": "cust-18"}]}, self.auth)
        self.assertEqual(status, 201)
        note("push", body["dispatch_id"], 18)

    def test_messages_send_dispatches_push(self):
        status, _, body = plain(
            "POST",
            base("braze") + "/messages/send",
            {"external_user_ids": ["cust-15", "cust-16"], "messages": {"apple_push": {"alert": "Your room is ready"}}},
            self.auth,
        )
        self.assertEqual(status, 201)
        self.assertTrue(body["dispatch_id"])
        note("push", body["dispatch_id"], 15)


if __name__ == "__main__":
    unittest.main(verbosity=2)
