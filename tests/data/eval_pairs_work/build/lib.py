"""Builder helpers for the blind calibration pair set (stdlib only)."""
import calendar, math

PROV = "written by evaluator (blind calibration set eval_pairs_work, %s)"

def P(country, admin1, admin2, name, lat, lon, precision="exact"):
    return {"country": country, "admin1": admin1, "admin2": admin2, "name": name,
            "lat": lat, "lon": lon, "precision": precision}

def S(org, ocountry, lang, title, desc, goals, tags, start=None, end=None, place=None, nogoals=False):
    return {"org": org, "oc": ocountry, "lang": lang, "title": title, "desc": desc,
            "goals": goals, "tags": tags, "start": start, "end": end, "place": place,
            "nogoals": nogoals}

def shift(d, months):
    y, m, dd = map(int, d.split("-"))
    m0 = y * 12 + (m - 1) + months
    y2, m2 = divmod(m0, 12)
    last = calendar.monthrange(y2, m2 + 1)[1]
    if dd >= calendar.monthrange(y, m)[1]:
        dd = last  # an end-of-month date stays at the end of the month
    return "%04d-%02d-%02d" % (y2, m2 + 1, min(dd, last))

def km(a, b):
    R = 6371.0
    la1, lo1, la2, lo2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * R * math.asin(math.sqrt(h))

def jitter(p, i):
    """Move a point by 0.4-1.6 km inside the same town (a school, a clinic, a neighbourhood)."""
    q = dict(p)
    if q["lat"] is None:
        return q
    ang = (i * 137.5) % 360
    d = 0.004 + 0.01 * ((i * 7) % 10) / 10.0
    q["lat"] = round(q["lat"] + d * math.cos(math.radians(ang)), 5)
    q["lon"] = round(q["lon"] + d * math.sin(math.radians(ang)), 5)
    return q
