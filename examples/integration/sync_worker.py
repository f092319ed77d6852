"""Bookings from HubSpot to Braze: the sync worker a hotel team runs.

Every POLL_SECONDS it asks HubSpot for contacts modified since its high-water mark that have
booked, writes each to Braze as a custom attribute, then moves the mark. The official HubSpot
SDK; Braze has no Python SDK, so plain HTTPS.

Configuration (environment): HUBSPOT_BASE_URL (default https://api.hubapi.com; REHEARSE_HUBSPOT_URL
wins, as `rehearse serve --check` sets it), HUBSPOT_TOKEN, BRAZE_BASE_URL / REHEARSE_BRAZE_URL,
BRAZE_API_KEY, POLL_SECONDS (default 60), RUN_SECONDS (stop after this long; default forever).
"""
import datetime
import json
import os
import time
import urllib.error
import urllib.request

from hubspot import HubSpot
from hubspot.crm.contacts import PublicObjectSearchRequest
from hubspot.crm.contacts.exceptions import ApiException

HUBSPOT = os.environ.get("REHEARSE_HUBSPOT_URL") or os.environ.get("HUBSPOT_BASE_URL", "https://api.hubapi.com")
BRAZE = os.environ.get("REHEARSE_BRAZE_URL") or os.environ.get("BRAZE_BASE_URL", "https://rest.iad-01.braze.com")
POLL_SECONDS = float(os.environ.get("POLL_SECONDS", "60"))
RUN_SECONDS = float(os.environ.get("RUN_SECONDS", "inf"))
BOOKED = "hs_booking_status"


def braze_track(attributes):
    """POST /users/track, at most 75 attributes a request (Braze's limit); retries 429 and 5xx."""
    for start in range(0, len(attributes), 75):
        body = json.dumps({"attributes": attributes[start : start + 75]}).encode()
        for attempt in range(5):
            request = urllib.request.Request(
                BRAZE + "/users/track",
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": "Bearer " + os.environ.get("BRAZE_API_KEY", "braze-key")},
            )
            try:
                urllib.request.urlopen(request, timeout=10).read()
                break
            except urllib.error.HTTPError as e:
                if e.code == 429 or e.code >= 500:
                    time.sleep(float(e.headers.get("Retry-After", 2 ** attempt)))
                    continue
                raise


def poll(client, mark):
    """One pass: every booked contact modified after `mark` (ms since epoch); returns the new mark."""
    after = None
    newest = mark
    while True:
        request = PublicObjectSearchRequest(
            filter_groups=[
                {
                    "filters": [
                        {"propertyName": "lastmodifieddate", "operator": "GT", "value": str(mark)},
                        {"propertyName": BOOKED, "operator": "EQ", "value": "true"},
                    ]
                }
            ],
            sorts=[{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}],
            properties=["customer_id", "lastmodifieddate", BOOKED],
            limit=100,
            after=after,
        )
        try:
            page = client.crm.contacts.search_api.do_search(public_object_search_request=request)
        except ApiException as e:
            if e.status == 429:
                time.sleep(float((e.headers or {}).get("Retry-After", 1)))
                continue
            raise
        attributes = [{"external_id": c.properties["customer_id"], "booked": True} for c in page.results]
        if attributes:
            braze_track(attributes)
        for c in page.results:
            stamp = datetime.datetime.fromisoformat(c.properties["lastmodifieddate"].replace("Z", "+00:00"))
            newest = max(newest, int(stamp.timestamp() * 1000))
        if page.paging is None or page.paging.next is None:
            return newest
        after = page.paging.next.after


def main():
    client = HubSpot(access_token=os.environ.get("HUBSPOT_TOKEN", "pat-na1-worker"), host=HUBSPOT)
    mark = 0
    started = time.time()
    while time.time() - started < RUN_SECONDS:
        mark = poll(client, mark)
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()
