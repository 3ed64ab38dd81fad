"""A small French/Spanish → English lexicon of development terms.

Keys are folded (lower case, no accents, apostrophes as spaces) phrases of one to
three tokens; values are English phrases whose tokens are added as extra features.
Words that are also English words with another meaning ("pain", "sale", "once")
are left out on purpose, and so are words spelt the same in English, which
need no translation. A few English acronyms (WASH, GBV, TVET) are
spelt out the same way. Written by hand for this project (MIT, like the code).
"""
from __future__ import annotations

_FRENCH = {
    # 1 poverty, social protection
    "pauvrete": "poverty", "pauvres": "poor", "extreme pauvrete": "extreme poverty",
    "protection sociale": "social protection", "filets sociaux": "social safety nets",
    "moyens de subsistance": "livelihoods", "vulnerables": "vulnerable",
    # 2 hunger, food, agriculture
    "enfants": "children", "moins de cinq ans": "under 5 years", "lutte contre": "combat",
    "faim": "hunger", "alimentaire": "food", "alimentaires": "food", "aliments": "food",
    "nourriture": "food", "securite alimentaire": "food security",
    "malnutrition": "malnutrition", "agricole": "agricultural", "agricoles": "agricultural",
    "agriculteurs": "farmers", "paysans": "smallholder farmers", "cultures": "crops",
    "semences": "seeds", "elevage": "livestock", "betail": "livestock", "recoltes": "harvest",
    "petits exploitants": "smallholder farmers", "retard de croissance": "stunting",
    # 3 health
    "sante": "health", "soins": "care", "sanitaire": "health", "maladies": "diseases",
    "maladie": "disease", "paludisme": "malaria", "vih": "hiv", "sida": "aids",
    "tuberculose": "tuberculosis", "vaccin": "vaccine", "vaccins": "vaccines",
    "vaccination": "vaccination", "mortalite maternelle": "maternal mortality",
    "mortalite infantile": "child mortality", "hopital": "hospital", "hopitaux": "hospitals",
    "medicaments": "medicines", "sante maternelle": "maternal health", "epidemie": "epidemic",
    "sage femme": "midwife", "sages femmes": "midwives", "sante mentale": "mental health",
    # 4 education
    "education": "education", "ecole": "school", "ecoles": "schools",
    "enseignement": "education teaching", "enseignants": "teachers", "eleves": "pupils",
    "scolarisation": "school enrolment", "alphabetisation": "literacy",
    "apprentissage": "learning", "formation professionnelle": "vocational training",
    "primaire": "primary school", "universite": "university",
    # 5 gender
    "femmes": "women", "filles": "girls", "egalite des sexes": "gender equality",
    "genre": "gender", "violences faites aux femmes": "violence against women",
    "mariage precoce": "child marriage", "excision": "female genital mutilation",
    "autonomisation": "empowerment",
    # 6 water and sanitation
    "eau": "water", "eaux": "water", "eau potable": "drinking water",
    "assainissement": "sanitation", "hygiene": "hygiene", "latrines": "latrines",
    "toilettes": "toilets", "puits": "wells", "forages": "boreholes",
    "eaux usees": "wastewater", "ressources en eau": "water resources",
    # 7 energy
    "energie": "energy", "electricite": "electricity", "solaire": "solar",
    "renouvelable": "renewable", "renouvelables": "renewable", "eolienne": "wind power",
    "energies renouvelables": "renewable energy",
    # 8 work, economy
    "emploi": "employment", "emplois": "jobs", "travail decent": "decent work",
    "chomage": "unemployment", "croissance economique": "economic growth",
    "entrepreneuriat": "entrepreneurship", "travail des enfants": "child labour",
    "jeunes": "youth", "tourisme": "tourism",
    # 9 infrastructure, industry
    "infrastructures": "infrastructure", "routes": "roads", "industrie": "industry",
    "numerique": "digital", "internet": "internet", "recherche": "research",
    # 10 inequality, migration
    "inegalites": "inequality", "migrants": "migrants", "refugies": "refugees",
    "handicap": "disability", "personnes handicapees": "persons with disabilities",
    # 11 cities
    "villes": "cities", "ville": "city", "urbain": "urban", "urbaine": "urban",
    "logement": "housing", "logements": "housing", "bidonvilles": "slums",
    "transports publics": "public transport", "catastrophes": "disasters",
    # 12 consumption
    "dechets": "waste", "recyclage": "recycling", "gaspillage alimentaire": "food waste",
    "consommation": "consumption",
    # 13 climate
    "climat": "climate", "climatique": "climate", "changement climatique": "climate change",
    "changements climatiques": "climate change", "rechauffement": "global warming",
    "secheresse": "drought", "inondations": "floods", "adaptation": "adaptation",
    # 14 oceans
    "oceans": "oceans", "mer": "sea", "marin": "marine", "marins": "marine",
    "marine": "marine", "peche": "fishing", "pecheurs": "fishers", "cotier": "coastal",
    "cotiers": "coastal", "cotieres": "coastal",
    # 15 land
    "forets": "forests", "foret": "forest", "deforestation": "deforestation",
    "biodiversite": "biodiversity", "desertification": "desertification",
    "terres": "land", "faune": "wildlife", "ecosystemes": "ecosystems",
    # 16 peace, justice
    "paix": "peace", "justice": "justice", "corruption": "corruption",
    "droits de l homme": "human rights", "droits humains": "human rights",
    "gouvernance": "governance", "violence": "violence", "conflits": "conflict",
    "etat de droit": "rule of law", "traite": "trafficking",
    # 17 partnerships
    "partenariat": "partnership", "partenariats": "partnerships",
    "aide publique au developpement": "official development assistance",
    "fiscalite": "taxation", "impots": "tax",
}

_SPANISH = {
    # 1
    "pobreza": "poverty", "pobres": "poor", "pobreza extrema": "extreme poverty",
    "proteccion social": "social protection", "medios de vida": "livelihoods",
    "vulnerables": "vulnerable",
    # 2
    "ninos": "children", "menores de cinco anos": "under 5 years", "lucha contra": "combat",
    "hambre": "hunger", "alimentaria": "food", "alimentos": "food", "alimentacion": "food",
    "seguridad alimentaria": "food security", "desnutricion": "malnutrition",
    "agricultura": "agriculture", "agricultores": "farmers", "campesinos": "smallholder farmers",
    "cultivos": "crops", "semillas": "seeds", "ganaderia": "livestock", "cosechas": "harvest",
    # 3
    "salud": "health", "enfermedades": "diseases", "enfermedad": "disease",
    "paludismo": "malaria", "vacunas": "vaccines", "vacunacion": "vaccination",
    "mortalidad materna": "maternal mortality", "mortalidad infantil": "child mortality",
    "hospital": "hospital", "hospitales": "hospitals", "medicamentos": "medicines",
    "salud materna": "maternal health", "salud mental": "mental health",
    "sanitaria": "health", "sanitario": "health", "atencion primaria": "primary health care",
    # 4
    "educacion": "education", "escuela": "school", "escuelas": "schools",
    "ensenanza": "education teaching", "docentes": "teachers", "maestros": "teachers",
    "alumnos": "pupils", "estudiantes": "students", "alfabetizacion": "literacy",
    "aprendizaje": "learning", "formacion profesional": "vocational training",
    "escolarizacion": "school enrolment", "universidad": "university",
    # 5
    "mujeres": "women", "ninas": "girls", "igualdad de genero": "gender equality",
    "genero": "gender", "violencia de genero": "gender based violence",
    "violencia contra las mujeres": "violence against women",
    "matrimonio infantil": "child marriage", "empoderamiento": "empowerment",
    # 6
    "agua": "water", "aguas": "water", "agua potable": "drinking water",
    "saneamiento": "sanitation", "higiene": "hygiene", "letrinas": "latrines",
    "pozos": "wells", "aguas residuales": "wastewater", "recursos hidricos": "water resources",
    # 7
    "energia": "energy", "electricidad": "electricity", "renovable": "renewable",
    "renovables": "renewable", "energias renovables": "renewable energy",
    "eolica": "wind power",
    # 8
    "empleo": "employment", "trabajo decente": "decent work", "desempleo": "unemployment",
    "crecimiento economico": "economic growth", "emprendimiento": "entrepreneurship",
    "trabajo infantil": "child labour", "jovenes": "youth", "turismo": "tourism",
    # 9
    "infraestructura": "infrastructure", "infraestructuras": "infrastructure",
    "carreteras": "roads", "industria": "industry", "investigacion": "research",
    "innovacion": "innovation",
    # 10
    "desigualdad": "inequality", "desigualdades": "inequality", "migrantes": "migrants",
    "refugiados": "refugees", "discapacidad": "disability",
    "personas con discapacidad": "persons with disabilities",
    # 11
    "ciudades": "cities", "ciudad": "city", "urbano": "urban", "urbana": "urban",
    "vivienda": "housing", "viviendas": "housing", "barrios marginales": "slums",
    "transporte publico": "public transport", "desastres": "disasters",
    # 12
    "residuos": "waste", "reciclaje": "recycling", "desperdicio de alimentos": "food waste",
    "consumo": "consumption",
    # 13
    "clima": "climate", "climatico": "climate", "cambio climatico": "climate change",
    "calentamiento global": "global warming", "sequia": "drought", "sequias": "drought",
    "inundaciones": "floods", "adaptacion": "adaptation", "emisiones": "emissions",
    # 14
    "oceanos": "oceans", "mar": "sea", "marino": "marine", "marinos": "marine",
    "pesca": "fishing", "pescadores": "fishers", "costero": "coastal", "costeras": "coastal",
    # 15
    "bosques": "forests", "bosque": "forest", "deforestacion": "deforestation",
    "biodiversidad": "biodiversity", "desertificacion": "desertification",
    "tierras": "land", "fauna": "wildlife", "ecosistemas": "ecosystems",
    # 16
    "paz": "peace", "justicia": "justice", "corrupcion": "corruption",
    "derechos humanos": "human rights", "gobernanza": "governance",
    "gobernabilidad": "governance", "violencia": "violence", "conflictos": "conflict",
    "estado de derecho": "rule of law", "trata de personas": "human trafficking",
    # 17
    "alianzas": "partnerships", "asociaciones": "partnerships",
    "cooperacion internacional": "international cooperation",
    "ayuda oficial al desarrollo": "official development assistance", "impuestos": "tax",
}

# English acronyms common in project texts, spelt out.
_ACRONYMS = {
    "wash": "water sanitation hygiene", "gbv": "gender based violence",
    "sgbv": "sexual gender based violence", "tvet": "technical vocational education training",
    "ecd": "early childhood development", "drr": "disaster risk reduction",
    "mhpss": "mental health psychosocial support", "smes": "small medium enterprises",
    "msmes": "micro small medium enterprises", "ntds": "neglected tropical diseases",
    "srhr": "sexual reproductive health rights", "iuu": "illegal unreported fishing",
}

# Entries whose key is already the English word add nothing; drop them.
PHRASES: dict[str, str] = {
    key: value for key, value in {**_FRENCH, **_SPANISH, **_ACRONYMS}.items() if key != value
}
