"""The multilingual lexicon: stopwords and a small domain dictionary onto English words.

Descriptions arrive in English, Spanish and French. Mapping the words of the field
(agua/eau -> water, pozo/puits -> well, salud/sante -> health) onto one English form lets
a Spanish description match an English one without a translation model. Keys are
accent-folded, lower-case and already singular (see `words.normalise_word`).
"""
from __future__ import annotations

_EN = """a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my
no nor not now of off on once only or other our out over own same she should so some such than
that the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your via per within across
among etc including new"""

_ES = """a al algo algun alguna algunas alguno algunos ante antes asi aun aunque cada como con
contra cual cuales cuando de del desde donde dos durante e el ella ellas ello ellos en entre era
eran es esa esas ese eso esos esta estaba estan estar estas este esto estos fue fueron ha han
hasta hay la las le les lo los mas me mi mientras muy nada ni no nos nuestra nuestro o otra
otras otro otros para pero poco por porque que quien se sea segun ser si sido sin sobre son su
sus tambien tanto te tiene tienen todo todos tras tu un una uno unos unas y ya mediante cuyo"""

_FR = """a afin ai au aupres aussi autre autres aux avec avoir ce ceci cela celle celles celui
ces cet cette chaque chez comme dans de depuis des donc dont du elle elles en entre est et etre
eux il ils je la le les leur leurs lors lui mais meme mes moins nos notre nous on ont ou par
parmi pas pendant peu plus pour qu que qui sa sans se selon ses si son sont sous sur ta tous
tout toute toutes tres un une vers vos votre vous y ainsi grace"""

# Words every project description uses; they say nothing about the work itself.
_GENERIC = """project projet proyecto programme program programa initiative iniciativa activity
activite actividad support apoyo appui soutien provide provision proveer fournir improve
improved mejorar ameliorer amelioration mejora through local locale locales people personne
personas persona population poblacion area zona zone region district distrito village aldea
pueblo year ano annee phase fase target beneficiary beneficiarie beneficiario implement
implementation mise oeuvre ejecucion work trabajo travail partner socio partenaire help ayuda
aide aim objetivo objectif also ensure garantizar assurer increase aumentar augmenter access
acceso acces based"""

STOPWORDS: frozenset[str] = frozenset((_EN + " " + _ES + " " + _FR + " " + _GENERIC).split())

# word (folded, singular) -> English canonical word. Kept small and about the field.
_PAIRS = """
agua:water eau:water potable:drinking pozo:well puit:well forage:borehole perforacion:borehole
sondeo:borehole saneamiento:sanitation assainissement:sanitation letrina:latrine latrine:latrine
higiene:hygiene hygiene:hygiene lavado:handwashing lavage:handwashing mano:hand
salud:health sante:health sanitaire:health clinica:clinic clinique:clinic hospital:hospital
hopital:hospital medico:doctor medecin:doctor enfermera:nurse infirmier:nurse infirmiere:nurse
vacuna:vaccine vaccin:vaccine vacunacion:vaccination vaccination:vaccination paludismo:malaria
malaria:malaria paludisme:malaria mosquitero:bednet moustiquaire:bednet materna:maternal
maternel:maternal maternelle:maternal madre:mother mere:mother nino:child enfant:child
infantil:child infancia:child bebe:infant lactante:infant nutricion:nutrition nutrition:nutrition
desnutricion:malnutrition malnutrition:malnutrition alimento:food alimentaire:food
alimentacion:food comida:food nourriture:food hambre:hunger faim:hunger seguridad:security
securite:security cultivo:crop agricultor:farmer agriculteur:farmer
campesino:farmer paysan:farmer agricultura:agriculture agriculture:agriculture semilla:seed
semence:seed riego:irrigation irrigation:irrigation suelo:soil cosecha:harvest
recolte:harvest ganado:livestock betail:livestock pesca:fishing peche:fishing escuela:school
ecole:school educacion:education education:education alumno:pupil eleve:pupil estudiante:student
etudiant:student maestro:teacher docente:teacher enseignant:teacher alfabetizacion:literacy
alphabetisation:literacy lectura:reading nina:girl fille:girl mujer:women
femme:women genero:gender genre:gender violencia:violence violence:violence empleo:employment
emploi:employment trabajador:worker travailleur:worker joven:youth jeune:youth juventud:youth
jeunesse:youth formacion:training formation:training capacitacion:training microcredito:microcredit
microcredit:microcredit credito:credit ahorro:savings epargne:savings pobreza:poverty
pauvrete:poverty vivienda:housing logement:housing energia:energy energie:energy solar:solar
solaire:solar electricidad:electricity electricite:electricity cocina:cooking cuisson:cooking
clima:climate climat:climate bosque:forest foret:forest reforestacion:reforestation
reboisement:reforestation arbol:tree arbre:tree residuo:waste dechet:waste basura:waste
reciclaje:recycling recyclage:recycling inundacion:flood inondation:flood sequia:drought
secheresse:drought refugiado:refugee refugie:refugee desplazado:displaced deplace:displaced
migrante:migrant migrant:migrant justicia:justice justice:justice derecho:rights droit:rights
gobernanza:governance gouvernance:governance comunidad:community communaute:community
comunitario:community communautaire:community rural:rural urbano:urban urbain:urban
ciudad:city ville:city barrio:neighbourhood quartier:neighbourhood neighborhood:neighbourhood
mercado:market marche:market cooperativa:cooperative cooperative:cooperative
discapacidad:disability handicap:disability vih:hiv vih/sida:hiv sida:aids tuberculosis:tuberculosis
tuberculose:tuberculosis mental:mental psicosocial:psychosocial psychosocial:psychosocial
distribucion:distribution distribution:distribution construccion:construction
construction:construction rehabilitacion:rehabilitation rehabilitation:rehabilitation
wash:wash borehole:borehole well:well toilet:latrine toilette:latrine bano:latrine
maize:maize maiz:maize arroz:rice riz:rice cafe:coffee cacao:cocoa
"""

LEXICON: dict[str, str] = dict(pair.split(":", 1) for pair in _PAIRS.split())
