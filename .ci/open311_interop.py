"""Talks to a running Gongzhi through a published Open311 client library (georeport, from PyPI),
in JSON and in XML, and creates a request the way the GeoReport v2 specification describes.
Usage: python3 open311_interop.py BASE_URL JURISDICTION_ID API_KEY ADDRESS_ID"""
import sys
import requests
from georeport import GeoReport

base, jurisdiction, api_key, address_id = sys.argv[1:5]
root = base.rstrip("/") + "/open311/v2"
passed = failed = 0


def check(name, condition):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}")


for fmt in ("json", "xml"):
    client = GeoReport(root, jurisdiction=jurisdiction, output_format=fmt)
    services = client.get_service_list()
    check(f"{fmt}: service list is not empty", len(services) > 0)
    code = services[0]["service_code"]
    check(f"{fmt}: service has a name", bool(services[0]["service_name"]))

    created = requests.post(f"{root}/requests.{fmt}", data={
        "api_key": api_key, "jurisdiction_id": jurisdiction, "service_code": code, "address_id": address_id,
        "lat": "22.5333", "long": "113.9304", "description": f"interop {fmt}: 路灯不亮",
    })
    check(f"{fmt}: create answers 201", created.status_code == 201)
    if fmt == "json":
        request_id = created.json()[0]["service_request_id"]
    else:
        import xmltodict
        request_id = xmltodict.parse(created.content)["service_requests"]["request"]["service_request_id"]
    check(f"{fmt}: create returns an id", bool(request_id))

    one = client.get_service_request(request_id)
    check(f"{fmt}: read back by id", one["service_request_id"] == request_id and one["status"] == "open")
    check(f"{fmt}: keeps the point", str(one["lat"]).startswith("22.53"))
    many = client.get_service_requests(status="open")
    many = many if isinstance(many, list) else [many]
    check(f"{fmt}: listed among open requests", any(r["service_request_id"] == request_id for r in many))

bad = requests.post(f"{root}/requests.json", data={"service_code": "1", "description": "no key"})
check("missing api_key is refused with an Open311 error", bad.status_code == 403 and "description" in bad.json()[0])

print(f"open311 interop: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
