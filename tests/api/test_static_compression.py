"""Scripts and stylesheets reach a browser that accepts gzip compressed, and unchanged once unpacked."""
from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_map_script_is_sent_compressed_and_unpacks_to_the_file(sqlite_app):
    client = sqlite_app.test_client()
    plain = (STATIC / "vendor/leaflet/leaflet.js").read_bytes()
    r = client.get("/static/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in r.headers["Vary"]
    assert len(r.data) < len(plain) / 2
    assert gzip.decompress(r.data) == plain
    r.close()


def test_without_gzip_the_file_is_sent_as_it_is(sqlite_app):
    client = sqlite_app.test_client()
    r = client.get("/static/css/site.css")
    assert "Content-Encoding" not in r.headers
    assert r.data == (STATIC / "css/site.css").read_bytes()
    r.close()


def test_a_revalidation_still_answers_not_modified(sqlite_app):
    client = sqlite_app.test_client()
    r = client.get("/static/js/map.js", headers={"Accept-Encoding": "gzip"})
    etag = r.headers["ETag"]
    r.close()
    again = client.get("/static/js/map.js", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    again.close()
