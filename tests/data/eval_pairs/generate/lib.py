"""Helpers for building the blind evaluation pairs (stdlib only).

Reads the real records (3W/345W CSVs, seed initiatives, WFP market points for coordinates)
and offers small constructors for real and evaluator-written initiatives.
Written without reading the platform's code.
"""
import csv
import json
import math
import os
import re
import unicodedata

SHARED = "/work/shared/data"
SEED = "/work/main/seed_data"


def fold(s):
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


ISO3_2 = {"HND": "HN", "SLV": "SV", "GTM": "GT", "AFG": "AF", "MOZ": "MZ", "MLI": "ML", "SEN": "SN",
          "KEN": "KE", "LBN": "LB", "JOR": "JO", "IRQ": "IQ", "HTI": "HT", "COL": "CO", "BFA": "BF",
          "SYR": "SY", "YEM": "YE", "NER": "NE", "CMR": "CM", "UGA": "UG", "TZA": "TZ", "ETH": "ET",
          "RWA": "RW", "TCD": "TD", "COD": "CD", "NPL": "NP", "BGD": "BD", "PAK": "PK", "PHL": "PH",
          "MWI": "MW", "ZWE": "ZW", "SOM": "SO", "SSD": "SS", "MDG": "MG", "GIN": "GN", "SLE": "SL",
          "CIV": "CI", "DOM": "DO", "PER": "PE", "ECU": "EC", "BOL": "BO", "GNB": "GW", "TLS": "TL",
          "MRT": "MR", "EGY": "EG", "PSE": "PS", "BEN": "BJ", "TGO": "TG", "NGA": "NG", "ZMB": "ZM",
          "LSO": "LS", "KHM": "KH", "IDN": "ID", "IND": "IN", "MMR": "MM", "LKA": "LK", "AGO": "AO",
          "NIC": "NI", "VEN": "VE", "SDN": "SD", "GHA": "GH", "LBR": "LR", "BDI": "BI", "CAF": "CF",
          "MEX": "MX", "UKR": "UA", "TJK": "TJ", "KGZ": "KG", "ARM": "AM", "GMB": "GM", "DJI": "DJ"}

# ---------------------------------------------------------------- gazetteer (WFP market points)
_MK = {}
_MK2 = {}
for row in list(csv.reader(open(os.path.join(SHARED, "geo/wfp_markets_hxl.csv"), encoding="utf-8-sig")))[2:]:
    if len(row) < 7:
        continue
    try:
        lat, lon = float(row[5]), float(row[6])
    except ValueError:
        continue
    cc = ISO3_2.get(row[2])
    if not cc:
        continue
    _MK.setdefault((cc, fold(row[1])), (lat, lon, row[3], row[4], row[1]))
    _MK2.setdefault((cc, fold(row[4])), (lat, lon, row[3], row[4], row[1]))

_ADM1 = {}
for row in csv.DictReader(open(os.path.join(SHARED, "geo/dr5hn_states.csv"), encoding="utf-8")):
    try:
        _ADM1[(row["country_code"], fold(row["name"]))] = (float(row["latitude"]), float(row["longitude"]), row["name"].strip())
    except ValueError:
        pass
_CTRY = {}
for row in csv.DictReader(open(os.path.join(SHARED, "geo/dr5hn_countries.csv"), encoding="utf-8")):
    try:
        _CTRY[row["iso2"]] = (float(row["latitude"]), float(row["longitude"]), row["name"])
    except (ValueError, KeyError):
        pass


def market(cc, name):
    k = (cc, fold(name))
    if k not in _MK:
        raise KeyError("no WFP market point %s %s" % k)
    return _MK[k]


def adm1_centroid(cc, name):
    k = (cc, fold(name))
    if k not in _ADM1:
        raise KeyError("no admin-1 centroid %s %s" % k)
    return _ADM1[k]


def km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    p = math.pi / 180
    h = (math.sin((la2 - la1) * p / 2) ** 2 + math.cos(la1 * p) * math.cos(la2 * p) * math.sin((lo2 - lo1) * p / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def loc_town(cc, town, admin1=None, admin2=None, name=None, dlat=0.0, dlon=0.0):
    """A point at a real town (WFP market coordinates); dlat/dlon shift to a named village nearby."""
    lat, lon, a1, a2, mk = market(cc, town)
    return {"country": cc, "admin1": admin1 or a1.title() if (admin1 or a1) else None,
            "admin2": admin2 or (a2.title() if a2 else None), "name": name or town,
            "lat": round(lat + dlat, 5), "lon": round(lon + dlon, 5), "precision": "exact"}


def loc_pt(cc, lat, lon, name, admin1=None, admin2=None, precision="exact"):
    return {"country": cc, "admin1": admin1, "admin2": admin2, "name": name,
            "lat": round(lat, 5), "lon": round(lon, 5), "precision": precision}


def loc_adm1(cc, admin1):
    lat, lon, nm = adm1_centroid(cc, admin1)
    return {"country": cc, "admin1": nm, "admin2": None, "name": None,
            "lat": round(lat, 5), "lon": round(lon, 5), "precision": "admin1"}


def loc_adm2(cc, admin1, admin2, seat=None):
    """Admin-2 area; lat/lon of its seat town when a WFP point exists for it, else null."""
    lat = lon = None
    for cand in ([seat] if seat else []) + [admin2]:
        try:
            lat, lon = market(cc, cand)[:2]
            break
        except KeyError:
            continue
    if lat is None and (cc, fold(admin2)) in _MK2:
        lat, lon = _MK2[(cc, fold(admin2))][:2]
    return {"country": cc, "admin1": admin1, "admin2": admin2, "name": None,
            "lat": None if lat is None else round(lat, 5), "lon": None if lon is None else round(lon, 5),
            "precision": "admin2"}


def loc_country(cc):
    lat, lon, _ = _CTRY[cc]
    return {"country": cc, "admin1": None, "admin2": None, "name": None,
            "lat": round(lat, 5), "lon": round(lon, 5), "precision": "country"}


# ---------------------------------------------------------------- organisations
ORG = {
    "WVI": ("World Vision International", "US"), "PMA": ("Programa Mundial de Alimentos (PMA/WFP)", None),
    "CRH": ("Cruz Roja Hondureña", "HN"), "GOAL": ("GOAL", "IE"), "LWI": ("Living Water International", "US"),
    "OPS": ("Organización Panamericana de la Salud (OPS/OMS)", None), "AYUDA EN ACCIÓN": ("Ayuda en Acción", "ES"),
    "UNICEF": ("UNICEF", None), "Trocaire": ("Trócaire", "IE"), "OIM": ("Organización Internacional para las Migraciones (OIM)", None),
    "UNFPA": ("UNFPA", None), "COSUDE": ("COSUDE - Agencia Suiza para el Desarrollo y la Cooperación", "CH"),
    "SC": ("Save the Children", "GB"), "PLAN": ("Plan International", "GB"), "ACNUR": ("ACNUR (UNHCR)", None),
    "CARE": ("CARE International", "CH"), "PNUD": ("PNUD (UNDP)", None), "NRC": ("Consejo Noruego para Refugiados (NRC)", "NO"),
    "ACH": ("Acción contra el Hambre", "ES"), "Helvetas": ("Helvetas Swiss Intercooperation", "CH"), "FAO": ("FAO", None),
    "Heifer": ("Heifer International", "US"), "Cáritas": ("Cáritas Honduras", "HN"), "ADRA": ("ADRA", "US"),
    "OXFAM": ("Oxfam", "GB"), "MSF": ("Médicos Sin Fronteras", "CH"), "CHILD FUND": ("ChildFund International", "US"),
    "ONU MUJERES": ("ONU Mujeres", None), "LWR": ("Lutheran World Relief", "US"), "CRS": ("Catholic Relief Services", "US"),
    "FUSAL": ("Fundación Salvadoreña para la Salud y el Desarrollo Humano (FUSAL)", "SV"), "EDUCO": ("EDUCO", "ES"),
    "Cruz Roja": ("Cruz Roja Salvadoreña", "SV"), "CICR": ("Comité Internacional de la Cruz Roja (CICR)", "CH"),
    "TECHO": ("TECHO", "CL"), "FH": ("Food for the Hungry", "US"), "The Shalom Foundation": ("The Shalom Foundation", "US"),
    "MDM": ("Médicos del Mundo", "ES"), "Good Neighbors": ("Good Neighbors", "KR"), "IRC": ("International Rescue Committee", "US"),
    "Water for People": ("Water For People", "US"), "Misiones del Agua Int'l": ("Water Missions International", "US"),
    "Global Communities": ("Global Communities", "US"), "OHCHR": ("OACNUDH (OHCHR)", None), "UNOPS": ("UNOPS", None),
    "Saint Francis Ministries": ("Saint Francis Ministries", "US"), "GIZ": ("GIZ", "DE"), "USAID": ("USAID", "US"),
    "AICS": ("Agenzia Italiana per la Cooperazione allo Sviluppo (AICS)", "IT"), "CECI": ("CECI", "CA"), "PCI": ("Project Concern International", "US"),
    "HRI": ("Health Rights International", "US"), "COOPI": ("COOPI - Cooperazione Internazionale", "IT"), "EWB": ("Engineers Without Borders", "US"),
    "AECID": ("AECID", "ES"), "Hábitat para la Humanidad": ("Hábitat para la Humanidad", "US"), "FUNDASIL": ("FUNDASIL", "SV"),
    "OPERACIÓN BENDICIÓN": ("Operación Bendición", "US"), "UNODC": ("UNODC", None), "COMCAVIS TRANS": ("COMCAVIS TRANS", "SV"),
    "Gobierno de El Salvador": ("Gobierno de El Salvador", "SV"), "We World - GVC": ("WeWorld-GVC", "IT"),
}


def org(name, country=None):
    return {"name": name, "country": country}


def org3w(acr):
    n, c = ORG.get(acr, (acr, None))
    return org(n, c)


# ---------------------------------------------------------------- 345W rows (Spanish free text)
CA_FILES = {"HN": "whowhatwhere_345_honduras.csv", "SV": "whowhatwhere_345w_el_salvador.csv",
            "GT": "whowhatwhere_345w_guatemala.csv"}
CA = {}
for cc, fn in CA_FILES.items():
    rows = list(csv.reader(open(os.path.join(SHARED, "hxl/hdx-central-america-345w", fn), encoding="utf-8-sig")))[2:]
    for r in rows:
        CA[(cc, r[0])] = r


def _d(s):
    m = re.match(r"(\d\d)/(\d\d)/(\d\d\d\d)", s or "")
    if not m or m.group(3) == "1970":
        return None
    return "%s-%s-%s" % (m.group(3), m.group(2), m.group(1))


def sector_goals(sector, act):
    a = fold(act + " " + sector)
    if "lavado de manos" in a or "higiene" in a or "saneamiento" in a or "agua" in a:
        if "pozo" in a or "sistema" in a or "suministro de agua" in a or "filtro" in a or "tratamiento de agua" in a:
            return ["6", "6.1"]
        return ["6", "6.2"]
    if "alimenta" in a or "san" in a.split() or "agricol" in a:
        return ["2", "2.1"]
    if "nutricion" in a:
        return ["2", "2.2"]
    if "educacion" in a or "escolar" in a:
        return ["4", "4.1"]
    if "salud" in a:
        return ["3", "3.8"]
    if "proteccion" in a:
        return ["16", "5.2"] if "violencia" in a else ["16"]
    if "transferencias" in a or "efectivo" in a:
        return ["1", "1.3"]
    return []


def ca(cc, rid, desc=None, goals=None, title=None):
    """A real 345W row as an initiative. desc may shorten/clean the real text (never invent)."""
    r = CA[(cc, rid)]
    d1 = r[22].strip()
    d2 = r[23].strip()
    text = d1
    if d2 and d2 != "No comments" and fold(d2) != fold(d1):
        text = (d1 + " " + d2).strip()
    place = r[17].strip()
    if fold(r[11]) in ("cobertura nacional", ""):
        loc = loc_country(cc)
    else:
      loc = loc_adm2(cc, r[11].strip() or None, r[13].strip() or None) if r[13].strip() else (
        {"country": cc, "admin1": r[11].strip() or None, "admin2": None, "name": None, "lat": None, "lon": None,
         "precision": "admin1"})
    if loc["precision"] == "admin1" and loc["lat"] is None:
        try:
            c = adm1_centroid(cc, r[11].strip())
            loc["lat"], loc["lon"] = round(c[0], 5), round(c[1], 5)
        except KeyError:
            pass
    if place and fold(place) not in ("", "varios lugares"):
        loc["name"] = place
    return {
        "title": title or r[21].strip(),
        "description": desc or text,
        "organisation": org3w(r[6].strip()),
        "language": "es",
        "start": _d(r[26]), "end": _d(r[27]),
        "goals": sector_goals(r[18], r[21]) if goals is None else goals,
        "tags": [t for t in [r[18].strip()] if t],
        "locations": [loc],
        "provenance": "hxl:%s#ID=%s (OCHA ROLAC 345W 2021 via HDX)" % (CA_FILES[cc], rid),
    }


# ---------------------------------------------------------------- seed records (IATI / 3W)
_SEED = json.load(open(os.path.join(SEED, "initiatives.json")))
_ORGS = {o["key"]: o for o in json.load(open(os.path.join(SEED, "organisations.json")))}


def seed(i, desc=None, locations=None, goals=None):
    x = _SEED[i]
    o = _ORGS[x["organisation"]["key"]]
    locs = []
    for l in x["locations"]:
        if not l.get("country"):
            continue
        prec = l["precision"]
        if prec not in ("exact", "admin2", "admin1", "country"):
            # IATI <point> without exactness: a named place is a point at that place; an unnamed point or one
            # named after the country is the publisher's representative point for the country
            nm = (l.get("name") or "").strip()
            cname = _CTRY.get(l["country"], (0, 0, ""))[2]
            prec = "exact" if nm and fold(nm) != fold(cname) else "country"
        locs.append({"country": l["country"], "admin1": l.get("admin1"), "admin2": l.get("admin2"),
                     "name": l.get("name"), "lat": l.get("lat"), "lon": l.get("lon"), "precision": prec})
    return {
        "title": x["title"], "description": desc or x["description"] or "",
        "organisation": org(o["name"], o.get("country")), "language": x["language"],
        "start": x["start"], "end": x["end"],
        "goals": list(x["goals"]) if goals is None else goals, "tags": list(x["tags"]),
        "locations": locations or locs[:3],
        "provenance": "seed_data/initiatives.json[%d] <- %s" % (i, x["provenance"]),
    }


def seed_raw(i):
    return _SEED[i]


# ---------------------------------------------------------------- evaluator-written records
def W(title, desc, org_, lang, start, end, goals, tags, locs, after):
    """An evaluator-written initiative modelled on a real one (`after` names the model)."""
    if isinstance(locs, dict):
        locs = [locs]
    return {"title": title, "description": desc, "organisation": org_, "language": lang,
            "start": start, "end": end, "goals": goals, "tags": tags, "locations": locs,
            "provenance": "written by evaluator after %s" % after}


PAIRS = []


def P(kind, overlap, why, a, b, var=None):
    """Register a pair. var: optional list among 'paraphrase' (one side restates the other's kind
    of work in different words)."""
    PAIRS.append({"kind": kind, "overlap": overlap, "why": why, "a": a, "b": b, "var": var or []})
