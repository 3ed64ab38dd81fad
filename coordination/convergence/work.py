"""What kind of work an initiative does: a small typology of field activities, in any language.

Two efforts with the same goal in the same place may still do different things: water kiosks
and latrines, cash transfers and latrine reconstruction, legal aid and psychosocial support. The
goal hierarchy cannot tell them apart and word overlap barely can (both say "water", "Kibera",
"households"). Each initiative's title and description are read for the activities it names
(`work_types`); the overlap engine compares the two sets (`work_scores`): at least one activity
in common, none in common, or unknown when a side names none of the typology.

The typology is modelled on the activity lists of humanitarian 3W/5W reporting and the IATI/DAC
purpose codes, at the grain at which two organisations would coordinate: one type per thing a
field team delivers. Each type lists the words that name it in English, French, Spanish and
Portuguese (accents folded), Arabic (diacritics dropped) and a few German/Swedish ones. A type
is named by a phrase, never by a topic word alone ("covid", "health", "children" name no type),
so a text about a topic without a named activity stays unknown rather than guessed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from coordination.text import fold_any_script


@dataclass(frozen=True, slots=True)
class WorkType:
    """One kind of field activity: a code, the words a person reads, and the phrases naming it."""

    code: str
    label: str
    phrases: tuple[str, ...]  # regular expressions over folded text (see `coordination.text.fold_any_script`)


def _t(code: str, label: str, *phrases: str) -> WorkType:
    return WorkType(code, label, phrases)


# Latin-script phrases are matched at word starts; "s?" and similar suffixes are written out.
# Arabic phrases are matched anywhere (prefixes such as ال / و / ب attach to the word).
TYPES: tuple[WorkType, ...] = (
    # Water, sanitation, hygiene
    _t("water_supply", "water supply", r"boreholes?", r"hand ?pumps?", r"wells?\b", r"water (?:points?|supply|supplies|"
       r"systems?|networks?|kiosks?|schemes?|tanks?|taps?|dispensers?|atms?|committees?|pipes?|pipelines?)",
       r"piped water", r"spring catchments?", r"rainwater", r"drinking water (?:supply|systems?|points?)",
       r"pozos?\b", r"bombas? manual", r"sistemas? de agua", r"agua potable", r"abastecimiento de agua",
       r"juntas? (?:administradoras? )?de agua", r"captacion de agua", r"cosecha de agua", r"tanques? de agua",
       r"puits\b", r"forages?\b", r"points? d.eau", r"reseau d.eau", r"adduction d.eau", r"eau potable",
       r"bornes? fontaines?", r"pocos?\b", r"abastecimento de agua", r"agua canalizada", r"brunnen",
       r"handpumpe", r"wasserstellen?", "شبكة المياه", "آبار", "بئر", "مياه الشرب", "إمدادات المياه"),
    _t("water_treatment", "water treatment and quality", r"water (?:treatment|quality|testing|purification|filters?)",
       r"chlorinat\w*", r"chlorine", r"(?:testing|tests?) (?:the )?drinking water", r"cloro\b", r"cloracion",
       r"tratamiento de(?:l)? agua", r"calidad del agua", r"potabiliza\w*", r"chloration", r"qualite de l.eau",
       r"traitement de l.eau", r"purificacao", r"tratamento de agua", r"wasseraufbereitung", "معالجة المياه",
       "جودة المياه", "الكلور"),
    _t("sanitation", "sanitation and sewage", r"latrines?", r"toilets?", r"sanitation (?:blocks?|facilities|facility)",
       r"sewage", r"sewers?", r"wastewater", r"faecal sludge", r"fecal sludge", r"septic", r"pit[- ]emptying",
       r"letrinas?", r"sanitarios\b", r"alcantarillado", r"aguas residuales", r"saneamiento basico",
       r"eaux usees", r"assainissement", r"toilettes", r"saneamento", r"esgotos?", r"banheiros?", "مراحيض",
       "الصرف الصحي", "دورات المياه"),
    _t("hygiene", "hygiene kits and promotion", r"hygiene (?:kits?|items?|promotion|sessions?|awareness|supplies)",
       r"dignity kits?", r"soap", r"hand ?washing", r"kits? de higiene", r"higiene personal", r"insumos de higiene",
       r"promocion de (?:la )?higiene", r"lavado de manos", r"jabon", r"kits? d.hygiene", r"lavage des mains",
       r"savon", r"promotion de l.hygiene", r"kits? de higiene", r"lavagem das maos", r"sabao", "النظافة",
       "الصابون", "غسل اليدين"),
    _t("menstrual_health", "menstrual health", r"menstrua\w*", r"sanitary (?:pads?|towels?)", r"toallas sanitarias",
       r"hygiene menstruelle", r"serviettes hygieniques", r"absorventes", "الدورة الشهرية"),
    _t("solid_waste", "waste collection and clean-ups", r"solid waste", r"waste (?:collection|management|sorting|bins?)",
       r"garbage", r"rubbish", r"litter", r"clean-?ups?", r"plastic", r"recycl\w*", r"residuos solidos",
       r"basura", r"desechos", r"reciclaje", r"contenedores", r"papeleras", r"dechets", r"ordures", r"plastiques?",
       r"nettoyage", r"residuos", r"lixo", r"reciclagem", r"plastico", "النفايات", "القمامة"),
    _t("drainage", "drainage and flood works", r"drainage", r"canal (?:clearing|cleaning)", r"flood (?:protection|defences?"
       r"|walls?)", r"storm ?water", r"drenaje", r"limpieza de canales", r"curage", r"canaux d.evacuation",
       r"drenagem", "تصريف المياه"),
    # Food, nutrition, agriculture
    _t("food_assistance", "food distribution", r"food (?:baskets?|parcels?|packages?|distributions?|rations?|aid|"
       r"assistance|kits?|cupboards?|pantr(?:y|ies)|banks?|vouchers?)", r"community (?:kitchens?|pantr(?:y|ies))",
       r"soup kitchens?", r"meals? (?:for|to)", r"bamba chakula", r"canastas?(?: basicas?| alimentarias?)?",
       r"viveres", r"despensas?", r"paquetes? (?:alimentari\w*|de alimentos)", r"alimentos secos",
       r"asistencia alimentaria", r"distribucion de alimentos", r"raciones", r"ollas? comunes?",
       r"comedores?(?: populares?| comunitarios?)?", r"vivres", r"rations? alimentaires?", r"distributions? alimentaires?",
       r"cuisines? communautaires?", r"aide alimentaire", r"colis alimentaires?", r"cestas? basicas?",
       r"cabazes?", r"distribuicao de alimentos", r"cozinhas? comunitarias?", r"matpaket", r"lebensmittel\w*",
       "طرود غذائية", "سلال غذائية", "المساعدات الغذائية", "توزيع الغذاء", "مطبخ"),
    _t("school_meals", "school meals", r"school (?:meals?|feeding|lunch\w*|snacks?)", r"merienda escolar",
       r"alimentacion escolar", r"comedores? escolares?", r"cantines? scolaires?", r"repas scolaires?",
       r"merenda escolar", r"alimentacao escolar", "التغذية المدرسية", "الوجبات المدرسية"),
    _t("nutrition_treatment", "malnutrition screening and treatment", r"malnutrition", r"malnourished",
       r"\bsam\b", r"\bmam\b", r"rutf", r"cmam", r"stabili[sz]ation cent", r"growth monitoring", r"micronutrients?",
       r"nutrition(?:al)? (?:screening|supplements?|supplies|insumos)", r"desnutricion", r"insumos nutricionales",
       r"monitoreo (?:del )?crecimiento", r"suplementos? nutricionales?", r"peso y talla", r"malnutris",
       r"depistage nutritionnel", r"desnutricao", "سوء التغذية"),
    _t("farm_inputs", "seeds, tools and farming support", r"seeds?\b", r"fertili[sz]ers?", r"(?:farm|agricultural) (?:inputs|"
       r"tools|training)", r"irrigation", r"(?:home|kitchen|school|vegetable|family) gardens?", r"smallholders?",
       r"semillas?", r"fertilizantes?", r"insumos agricolas", r"huertos?", r"riego", r"semences?", r"engrais",
       r"intrants agricoles", r"potagers?", r"maraich\w*", r"sementes?", r"hortas?", r"insumos agricolas",
       r"saatgut", "البذور", "الأسمدة", "الري"),
    _t("livestock", "livestock and veterinary support", r"livestock", r"goats?", r"poultry", r"veterinar\w*",
       r"ganado", r"aves de corral", r"betail", r"elevage", r"volailles?", r"gado", "الماشية", "الثروة الحيوانية"),
    # Cash, livelihoods, skills
    _t("cash_transfers", "cash transfers", r"cash (?:transfers?|assistance|grants?|support|for)", r"multi-?purpose cash",
       r"e-?cash", r"mobile (?:cash|money)", r"cash-based", r"vouchers?", r"transferencias? monetarias?",
       r"efectivo", r"bonos?\b", r"transferts? monetaires?", r"cupons?", r"transferencias? de renda",
       r"kontantstod", r"bargeld", "تحويلات نقدية", "المساعدات النقدية", "النقد"),
    _t("savings_finance", "savings, credit and money skills", r"savings?(?: groups?| classes?)?\b", r"vsla", r"budgeting",
       r"financial (?:literacy|education|skills)", r"money[- ]management", r"micro-?(?:finance|credit|loans?)",
       r"ahorro", r"educacion financiera", r"microcredito", r"epargne", r"education financiere", r"microcredit",
       r"poupanca", r"educacao financeira", "الادخار", "التثقيف المالي"),
    _t("vocational_skills", "vocational training", r"vocational", r"tvet", r"apprenticeships?", r"(?:job|trade|technical) "
       r"skills", r"formacion (?:profesional|tecnica|vocacional)", r"capacitacion tecnica", r"talleres? de oficios",
       r"formation professionnelle", r"apprentissage d.un metier", r"formacao profissional", r"berufsbildung",
       "التدريب المهني"),
    _t("digital_skills", "digital skills", r"digital (?:skills|literacy)", r"computers?", r"smartphones?", r"\bict\b",
       r"alfabetizacion digital", r"informatica", r"competences numeriques", r"informatique", r"inclusao digital",
       "المهارات الرقمية", "الحاسوب"),
    _t("enterprise", "business start-up support", r"entrepreneur\w*", r"micro-?enterprises?", r"start-?up (?:grants?|kits?)",
       r"small business\w*", r"income[- ]generating", r"emprendim\w*", r"microempresas?", r"capital semilla",
       r"entrepreneuriat", r"micro-?projets?", r"activites generatrices de revenus", r"empreendedorismo",
       "المشاريع الصغيرة", "ريادة الأعمال"),
    # Education
    _t("school_building", "classroom and school construction", r"classrooms?", r"school (?:construction|buildings?|"
       r"rehabilitation)", r"construccion de (?:aulas|escuelas)", r"salles de classe", r"construction d.ecoles?",
       r"salas de aula", "بناء المدارس", "الفصول الدراسية"),
    _t("catch_up_learning", "catch-up and remedial classes", r"catch-?up", r"remedial", r"accelerated (?:learning|education)",
       r"bridging (?:classes|programmes?)", r"out-of-school", r"rattrapage", r"passerelles?", r"scolarisation acceleree",
       r"nivelacion", r"reforzamiento escolar", r"educacion acelerada", r"aceleracao", "تقوية", "استدراكي",
       "المتسربين"),
    _t("learning_supplies", "school kits and learning materials", r"school (?:kits?|supplies|materials)", r"textbooks?",
       r"learning materials", r"utiles escolares", r"kits? escolares?", r"fournitures scolaires", r"manuels scolaires",
       r"material escolar", "الحقائب المدرسية", "القرطاسية"),
    _t("teacher_training", "teacher training", r"teacher (?:training|development)", r"training (?:of )?teachers",
       r"formacion (?:docente|de docentes|de maestros)", r"formation des enseignants", r"formacao de professores",
       "تدريب المعلمين"),
    _t("scholarships", "scholarships", r"scholarships?", r"bursar(?:y|ies)", r"becas?\b", r"bourses? d.etudes?",
       r"bolsas? de estudo", "المنح الدراسية"),
    _t("language_learning", "language classes", r"language (?:cafes?|classes|courses|learning|friends?)",
       r"(?:english|french|german|swedish) (?:classes|courses|lessons)", r"sprakvan\w*", r"sprakcafe\w*",
       r"svenska for invandrare", r"sprachcafe", r"sprachkurs\w*", r"cours de (?:langue|francais)",
       r"clases de (?:idiomas?|espanol|ingles)", "تعليم اللغة"),
    # Health
    _t("malaria", "malaria prevention and treatment", r"malaria", r"bed ?nets?", r"\bitns?\b", r"\bllins?\b",
       r"paludisme", r"moustiquaires?", r"paludismo", r"mosquiteros?", "الملاريا"),
    _t("immunisation", "vaccination", r"vaccinat\w*", r"immuni[sz]ation", r"vacunacion", r"vacunas?", r"vacinacao",
       r"impfung", "التطعيم", "اللقاح"),
    _t("family_planning", "family planning and reproductive health", r"family planning", r"contracept\w*",
       r"reproductive health", r"planificacion familiar", r"anticonceptiv\w*", r"salud (?:sexual y )?reproductiva",
       r"planification familiale", r"sante (?:sexuelle et )?reproductive", r"planejamento familiar",
       "تنظيم الأسرة", "الصحة الإنجابية"),
    _t("maternal_care", "maternal and newborn care", r"antenatal", r"prenatal", r"midwi(?:fe|ves)", r"safe delivery",
       r"maternal (?:health|care)", r"newborn care", r"atencion (?:del )?parto", r"control prenatal",
       r"sages?-femmes?", r"soins prenatals", r"accouchement", r"parteiras?", "رعاية الحوامل", "القابلات"),
    _t("mental_health", "psychosocial support and mental health", r"psycho-?social", r"mental health", r"\bpss\b",
       r"psicosocial", r"salud mental", r"psychosociale?", r"sante mentale", r"saude mental", "الدعم النفسي",
       "الصحة النفسية"),
    _t("hiv", "HIV prevention and care", r"\bhiv\b", r"\baids\b", r"antiretroviral", r"\bvih\b", r"\bsida\b",
       "فيروس نقص المناعة"),
    _t("clinical_care", "medical consultations and clinics", r"mobile (?:clinics?|health)", r"primary health care",
       r"(?:static|health|medical|primary health) clinics?", r"health (?:posts?|services|teams?)", r"clinicas?\b",
       r"medical (?:consultations?|care|brigades?)", r"medicines?", r"brigadas? medicas?", r"consultas? medicas?",
       r"atencion (?:primaria|medica)", r"cliniques? mobiles?", r"soins de sante primaires", r"medicaments",
       r"consultas? medicas?", "العيادات المتنقلة", "الرعاية الصحية الأولية", "الأدوية"),
    _t("community_health", "community health workers", r"community health (?:workers?|volunteers?)",
       r"village health teams?", r"case management", r"\biccm\b", r"agentes? comunitari\w* de salud",
       r"relais communautaires?", r"agents? de sante communautaires?", r"agentes comunitarios de saude",
       "العاملين الصحيين المجتمعيين"),
    _t("awareness", "awareness campaigns", r"awareness", r"sensiti[sz]ation", r"campaigns?", r"posters?", r"radio spots?",
       r"sensibiliza\w*", r"afiches?", r"campanas?\b", r"charlas?", r"sensibilisation", r"affiches?", r"campagnes?",
       r"conscientizacao", r"cartazes?", "التوعية", "حملة"),
    # Protection
    _t("legal_aid", "legal aid and civil documentation", r"legal (?:aid|assistance|counsel\w*|advice)", r"civil (?:documents?|"
       r"documentation|registration)", r"birth (?:certificates?|registration)", r"asesoria (?:legal|juridica)",
       r"asistencia (?:legal|juridica)", r"documentacion", r"partidas? de nacimiento", r"aide juridique",
       r"assistance juridique", r"etat civil", r"actes? de naissance", r"assistencia juridica", r"documentacao",
       "المساعدة القانونية", "الوثائق المدنية", "شهادات الميلاد"),
    _t("gbv", "gender-based violence services", r"gender-based violence", r"\bgbv\b", r"survivors of (?:sexual|gender)",
       r"women.s safe spaces?", r"violencia (?:basada en|de) genero", r"\bvbg\b", r"violences? basees? sur le genre",
       r"violencia de genero", "العنف القائم على النوع"),
    _t("child_protection", "child protection", r"child protection", r"child-friendly spaces?", r"family tracing",
       r"unaccompanied", r"proteccion (?:infantil|de la ninez)", r"protection de l.enfan\w*", r"espaces? amis des enfants",
       r"protecao infantil", "حماية الطفل"),
    # Shelter, energy, infrastructure
    _t("shelter", "shelter and housing", r"shelters?", r"housing", r"tents?\b", r"(?:house|home) (?:repairs?|reconstruction)",
       r"albergues?", r"viviendas?", r"refugios?", r"abris?\b", r"logements?", r"habitacao", r"moradias?",
       "مأوى", "المساكن", "الخيام"),
    _t("household_items", "household items", r"non-food items", r"\bnfis?\b", r"blankets?", r"kitchen (?:sets?|kits?)",
       r"mattress\w*", r"articulos no alimentarios", r"frazadas", r"colchones", r"articles non alimentaires",
       r"couvertures", r"itens nao alimentares", "المواد غير الغذائية", "البطانيات"),
    _t("cooking_energy", "cooking fuel and stoves", r"\blpg\b", r"cooking (?:gas|fuel)", r"(?:cook)?stoves?",
       r"firewood", r"briquettes?", r"gas cylinders?", r"balones de gas", r"estufas?", r"lena\b", r"gaz domestique",
       r"foyers? ameliores?", r"bois de chauffe", r"fogoes?", "غاز الطبخ", "مواقد"),
    _t("lighting_power", "lighting and electricity", r"solar (?:lamps?|lights?|lanterns?|home systems?|street ?lights?)",
       r"street ?lights?", r"(?:study )?lamps?", r"lighting", r"mini-?grids?", r"electrification",
       r"lamparas? solares?", r"alumbrado", r"electrificacion", r"lampes? solaires?", r"eclairage",
       r"electrification", r"iluminacao", r"eletrificacao", "الإنارة", "الكهرباء", "مصابيح"),
    _t("roads", "roads and bridges", r"roads?\b", r"bridges?", r"caminos?\b", r"carreteras?", r"puentes?",
       r"routes?\b", r"pistes? rurales?", r"estradas?", r"pontes?", "الطرق", "الجسور"),
    _t("tree_planting", "tree planting and restoration", r"tree[- ]planting", r"reforest\w*", r"mangroves?",
       r"seedlings?", r"reforestacion", r"viveros?", r"reboisement", r"reflorestamento", "التشجير"),
)

CODES: tuple[str, ...] = tuple(t.code for t in TYPES)
LABELS: dict[str, str] = {t.code: t.label for t in TYPES}
BIT: dict[str, int] = {code: 1 << i for i, code in enumerate(CODES)}
assert len(TYPES) <= 63, "the work mask is one int64"


def _group_end(p: str, start: int) -> int:
    """The index of the parenthesis closing the group opened at `start`."""
    depth = 0
    for i in range(start, len(p)):
        if p[i] == "\\":
            continue
        if p[i] == "(" and (i == 0 or p[i - 1] != "\\"):
            depth += 1
        elif p[i] == ")" and p[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced phrase {p!r}")


def _split_top(group: str) -> list[str]:
    """The alternatives of a group's body, split on its top-level "|"."""
    parts, depth, last = [], 0, 0
    for i, c in enumerate(group):
        depth += c == "("
        depth -= c == ")"
        if c == "|" and depth == 0:
            parts.append(group[last:i])
            last = i + 1
    return [*parts, group[last:]]


def first_chars(p: str) -> frozenset[str] | None:
    """The characters a match of phrase `p` can start with; None when that is not plain."""
    if p.startswith("\\b"):
        return first_chars(p[2:])
    if p.startswith("(?:"):
        end = _group_end(p, 0)
        firsts: set[str] = set()
        for alternative in _split_top(p[3:end]):
            found = first_chars(alternative)
            if found is None:
                return None
            firsts |= found
        if p[end + 1 : end + 2] in ("?", "*"):
            rest = first_chars(p[end + 2 :])
            return None if rest is None else frozenset(firsts | rest)
        return frozenset(firsts)
    if not p or not (p[0].isalnum() or p[0] in "'-"):
        return None
    if p[1:2] in ("?", "*"):
        rest = first_chars(p[2:])
        return None if rest is None else frozenset({p[0]} | rest)
    return frozenset({p[0]})


def _scanners() -> tuple[dict[str, re.Pattern[str]], re.Pattern[str]]:
    """For each character, one regex of the Latin-script phrases that can start with it (tried
    only at the start of a word beginning with that character: hundreds of phrases cost one or
    two tries per word), and one regex of the Arabic phrases (matched anywhere). A match's group
    is named t<type>_<n>."""
    buckets: dict[str, list[str]] = {}
    arabic: list[str] = []
    for i, work in enumerate(TYPES):
        for phrase in work.phrases:
            if not phrase.isascii():
                arabic.append(f"(?P<t{i}_a{len(arabic)}>{phrase})")
                continue
            starts = first_chars(phrase)
            if starts is None:
                raise ValueError(f"phrase {phrase!r} must start with plain characters")
            for c in starts:
                bucket = buckets.setdefault(c, [])
                bucket.append(f"(?P<t{i}_{len(bucket)}>{phrase})")
    return ({c: re.compile("|".join(b)) for c, b in buckets.items()}, re.compile("|".join(arabic)))


_BY_FIRST, _ARABIC = _scanners()
_WORD_START = re.compile(r"\b\w")
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def _type_of(match: re.Match[str]) -> str:
    return CODES[int(match.lastgroup[1:].split("_")[0])]  # type: ignore[index]


def _latin_types(folded: str) -> set[str]:
    found: set[str] = set()
    for start in _WORD_START.finditer(folded):
        pattern = _BY_FIRST.get(start.group())
        if pattern is not None:
            match = pattern.match(folded, start.start())
            if match is not None:
                found.add(_type_of(match))
    return found


@lru_cache(maxsize=65_536)
def work_types(text: str) -> frozenset[str]:
    """The work types an initiative's text names (its title and description, any language)."""
    folded = fold_any_script(text)
    found = _latin_types(folded)
    if not folded.isascii() and _ARABIC_LETTER.search(folded):
        found |= {_type_of(m) for m in _ARABIC.finditer(folded)}
    return frozenset(found)


def text_of(title: str, description: str, tags: Iterable[str]) -> str:
    """The text an initiative's work is read from: title, description and tags."""
    return f"{title} {description} {' '.join(sorted(tags))}"


def work_text(record) -> str:
    """`text_of` an initiative record."""
    return text_of(record.title, record.description, record.tags)


def work_labels(title: str, description: str = "", tags: Iterable[str] = ()) -> list[str]:
    """The kinds of work an initiative's title, description and tags name, in words."""
    return labels_of(work_mask(text_of(title, description, tags)))


def work_mask(text: str) -> int:
    """The work types of `text` as a bit mask (0: none named)."""
    mask = 0
    for code in work_types(text):
        mask |= BIT[code]
    return mask


def labels_of(mask: int) -> list[str]:
    """The labels of the work types in a mask, in typology order."""
    return [LABELS[code] for code in CODES if mask & BIT[code]]


def work_scores(mask_a: np.ndarray, mask_b: np.ndarray, neutral: float) -> np.ndarray:
    """1 where the two sides name a work type in common, 0 where both name some but none in
    common, `neutral` where a side names none."""
    known = (mask_a != 0) & (mask_b != 0)
    shared = (mask_a & mask_b) != 0
    return np.where(known, np.where(shared, 1.0, 0.0), neutral)


def masks(texts: Iterable[str]) -> np.ndarray:
    """Work masks of many texts, as int64."""
    return np.fromiter((work_mask(t) for t in texts), np.int64)
