"""The built-in tag vocabulary: humanitarian clusters, common sectors and their acronyms (EN/ES/FR/PT).

Each canonical key has a display label and the aliases that resolve to it. Aliases are
written as people type them; they are normalised when the table is built.
"""

from __future__ import annotations

# key: (display label, aliases)
# fmt: off
BUILTIN_TAGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "wash": ("Water, Sanitation and Hygiene (WASH)", (
        "WASH", "water sanitation hygiene", "water, sanitation and hygiene", "Water & Sanitation",
        "water and sanitation", "watsan", "water sanitation and hygiene promotion",
        "Agua, Saneamiento e Higiene", "agua y saneamiento", "ASH", "eau, hygiène et assainissement",
        "eau, assainissement et hygiène", "EHA", "água, saneamento e higiene", "hygiene and sanitation",
        "sanitation and hygiene", "water supply and sanitation")),
    "gbv": ("Gender-Based Violence (GBV)", (
        "GBV", "gender based violence", "SGBV", "sexual and gender based violence",
        "sexual and gender-based violence", "violencia basada en género", "VBG",
        "violencia sexual y basada en género", "violence basée sur le genre",
        "violences basées sur le genre", "VSBG")),
    "idp": ("Internally Displaced Persons (IDPs)", (
        "IDP", "IDPs", "internally displaced person", "internally displaced people",
        "desplazados internos", "personas desplazadas internas", "personnes déplacées internes",
        "PDI")),
    "nfi": ("Non-Food Items (NFI)", (
        "NFI", "NFIs", "non food item", "non-food items", "core relief item", "Core Relief Items (CRIs)",
        "CRI", "artículos no alimentarios", "articles non alimentaires")),
    "shelter-nfi": ("Emergency Shelter and NFI", (
        "ESNFI", "ES/NFI", "ES-NFI", "shelter nfi", "shelter and NFI", "emergency shelter and NFI",
        "Emergency Shelter & Non-Food Items", "shelter and non-food items", "abris et AME", "abris-AME")),
    "shelter": ("Shelter", (
        "shelter", "emergency shelter", "alojamiento de emergencia", "alojamiento", "albergue",
        "Alojamiento de emergencia (Shelter)", "abris", "abri", "abrigo")),
    "cccm": ("Camp Coordination and Camp Management (CCCM)", (
        "CCCM", "camp coordination and camp management", "camp coordination camp management",
        "camp management", "camp management and coordination", "gestión de campamentos",
        "coordinación y gestión de campamentos", "Manejo y gestión de Campamentos",
        "Manejo y gestión de Campamentos (CCCM)", "CCCM cluster", "gestion des sites",
        "coordination et gestion des camps")),
    "mhpss": ("Mental Health and Psychosocial Support (MHPSS)", (
        "MHPSS", "mental health and psychosocial support", "mental health psychosocial support",
        "psychosocial support", "salud mental y apoyo psicosocial", "SMAPS",
        "santé mentale et soutien psychosocial", "SMSPS")),
    "fsl": ("Food Security and Livelihoods (FSL)", (
        "FSL", "food security and livelihoods", "food security & livelihood",
        "seguridad alimentaria y medios de vida", "sécurité alimentaire et moyens d'existence")),
    "food-security": ("Food Security", (
        "food security", "seguridad alimentaria", "sécurité alimentaire", "segurança alimentar",
        "FSAC", "food security and agriculture", "food security & agriculture",
        "food security and agriculture cluster")),
    "food-assistance": ("Food Assistance", (
        "food assistance", "food aid", "food distribution", "asistencia alimentaria",
        "ayuda alimentaria", "distribución de alimentos", "assistance alimentaire")),
    "health": ("Health", ("health", "salud", "santé", "saúde", "health cluster")),
    "nutrition": ("Nutrition", ("nutrition", "nutrición", "nutrição")),
    "education": ("Education", ("education", "educación", "éducation", "educação")),
    "education-emergency": ("Education in Emergencies (EiE)", (
        "EiE", "education in emergencies", "educación en emergencias", "éducation en situation d'urgence")),
    "protection": ("Protection", (
        "protection", "protección", "proteção", "general protection", "protection générale",
        "protección general")),
    "child-protection": ("Child Protection", (
        "child protection", "protección de la infancia", "protección infantil", "protección de la niñez",
        "protection de l'enfance", "protection de l'enfant", "proteção da criança")),
    "logistics": ("Logistics", ("logistics", "logística", "logistique", "transport / logistics")),
    "emergency-telecommunications": ("Emergency Telecommunications (ETC)", (
        "ETC", "emergency telecommunications", "emergency telecommunications cluster", "telecom",
        "telecommunications", "IT y Telecomunicación", "telecomunicaciones de emergencia",
        "télécommunications d'urgence")),
    "early-recovery": ("Early Recovery", (
        "early recovery", "recuperación temprana", "relèvement précoce", "recuperação precoce")),
    "coordination": ("Coordination", (
        "coordination", "coordinación", "coordenação", "Coordinación / Información",
        "coordination and information management", "coordination et gestion de l'information")),
    "information-management": ("Information Management", (
        "information management", "IM", "gestión de información", "gestion de l'information")),
    "cash": ("Multi-Purpose Cash (MPC)", (
        "MPC", "MPCA", "multi-purpose cash", "multipurpose cash assistance", "multi purpose cash transfer",
        "cash assistance", "cash transfers", "CVA", "cash and voucher assistance",
        "Efectivo Multipropósito", "Transferencias Multipropósito", "transferencias monetarias",
        "transferts monétaires", "transferts monétaires à usages multiples")),
    "livelihood": ("Livelihoods", (
        "livelihood", "livelihoods", "medios de vida", "moyens d'existence", "moyens de subsistance",
        "meios de subsistência", "income generation")),
    "hiv-aids": ("HIV/AIDS", ("HIV/AIDS", "HIV and AIDS", "VIH/SIDA", "VIH", "HIV", "SIDA")),
    "sexual-reproductive-health": ("Sexual and Reproductive Health (SRH)", (
        "SRH", "reproductive health", "sexual and reproductive health", "salud sexual y reproductiva",
        "salud reproductiva", "santé sexuelle et reproductive", "santé de la reproduction", "SRHR")),
    "disaster-risk-reduction": ("Disaster Risk Reduction (DRR)", (
        "DRR", "disaster risk reduction", "reducción del riesgo de desastres", "gestión del riesgo",
        "réduction des risques de catastrophes", "RRC")),
    "agriculture": ("Agriculture", ("agriculture", "agricultura", "crop production")),
    "mine-action": ("Mine Action", ("mine action", "acción contra las minas", "lutte antimines", "demining")),
    "aap": ("Accountability to Affected Populations (AAP)", (
        "AAP", "accountability to affected populations", "accountability to affected people",
        "rendición de cuentas a las poblaciones afectadas", "redevabilité envers les populations affectées")),
    "pseah": ("Protection from Sexual Exploitation and Abuse (PSEA)", (
        "PSEA", "PSEAH", "protection from sexual exploitation and abuse",
        "prevention of sexual exploitation and abuse", "PEAS")),
}
# fmt: on
