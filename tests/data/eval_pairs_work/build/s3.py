from lib import P, S
PEMBA = P("MZ", "Cabo Delgado", "Cidade de Pemba", "Pemba", -12.960833, 40.507778)
PAQUITE = P("MZ", "Cabo Delgado", "Cidade de Pemba", "Paquitequete, Pemba", -12.955, 40.495)
MONTEPUEZ = P("MZ", "Cabo Delgado", "Montepuez", "Montepuez", -13.125556, 38.999722)
BEIRA = P("MZ", "Sofala", "Cidade da Beira", "Beira", -19.843611, 34.838889)
MANGA = P("MZ", "Sofala", "Cidade da Beira", "Manga, Beira", -19.78, 34.87)
ZIG = P("SN", "Ziguinchor", "Ziguinchor", "Ziguinchor", 12.583333, -16.271944)
KOLDA = P("SN", "Kolda", "Kolda", "Kolda", 12.883333, -14.95)
DIFFA = P("NE", "Diffa", "Diffa", "Diffa", 13.31536, 12.611345)
TILLA = P("NE", "Tillabéri", "Tillabéri", "Tillabéri", 14.2116667, 1.4530556)
GOMA = P("CD", "Nord-Kivu", "Goma", "Goma", -1.679167, 29.222778)
MUNIGI = P("CD", "Nord-Kivu", "Nyiragongo", "Munigi", -1.62, 29.23)
BUNIA = P("CD", "Ituri", "Bunia", "Bunia", 1.566667, 30.25)
GAMBELA = P("ET", "Gambela", "Gambela Zuria", "Gambela", 8.25, 34.5833333)
BAIDOA = P("SO", "Bay", "Baidoa", "Baidoa", 3.11, 43.65)
JUBA = P("SS", "Central Equatoria", "Juba", "Juba", 4.845972, 31.601203)
KAKUMA = P("KE", "Turkana", "Turkana West", "Kakuma refugee camp", 3.72, 34.86)
KALOBEYEI = P("KE", "Turkana", "Turkana West", "Kalobeyei settlement", 3.78, 34.77)
MANGOCHI = P("MW", "Southern Region", "Mangochi", "Mangochi", -14.4804476, 35.2618243)

C3 = [
 (PEMBA, PAQUITE, "2024-01-01", "2025-06-30",
  S("UNICEF", None, "pt", "Espaços temporários de aprendizagem para crianças deslocadas em Pemba",
    "Montagem de salas de aula temporárias, material escolar e formação de professores voluntários para crianças deslocadas de Cabo Delgado acolhidas em Pemba.", ["4.1", "4.a"], ["educação em emergência"]),
  S("Save the Children UK", "GB", "en", "Temporary learning spaces for displaced children in Pemba",
    "Tented classrooms, learning kits and volunteer teacher training so that children displaced by the conflict and hosted in Pemba's bairros can keep studying.", ["4.1"], ["education in emergencies"]),
  S("Fundação para o Desenvolvimento da Comunidade", "MZ", "pt", "Bolsas de estudo para raparigas deslocadas, Pemba",
    "Bolsas que cobrem propinas, uniforme e material para raparigas deslocadas continuarem o ensino secundário nas escolas de Pemba.", ["4.1", "4.5"], ["bolsas", "raparigas"]),
  S("CAMFED", "GB", "en", "Secondary-school bursaries for displaced girls in Pemba",
    "Bursaries covering fees, uniforms and materials so that displaced girls in Paquitequete and other Pemba neighbourhoods stay in secondary school.", ["4.5"], ["girls' education", "bursaries"]),
  "both set up temporary learning spaces for displaced children in Pemba's neighbourhoods (Portuguese and English)",
  "both pay secondary-school bursaries for displaced girls in Pemba neighbourhoods (Portuguese and English)",
  "temporary learning spaces for displaced children vs secondary bursaries for displaced girls"),

 (MONTEPUEZ, None, "2024-02-01", "2025-01-31",
  S("World Food Program", None, "pt", "Assistência alimentar a deslocados em Montepuez",
    "Distribuição mensal de cestas básicas (arroz, feijão, óleo) a famílias deslocadas nos centros de reassentamento de Montepuez.", ["2.1"], ["assistência alimentar"]),
  S("Caritas Pemba", "MZ", "pt", "Cestas de alimentos para famílias deslocadas",
    "Entregamos todos os meses cestas com arroz, feijão e óleo às famílias deslocadas que vivem nos centros de Montepuez.", [], ["alimentação"], None, None, None, True),
  S("FAO", None, "pt", "Kits de sementes e enxadas para deslocados, Montepuez",
    "Distribuição de sementes de milho, feijão e hortícolas e ferramentas agrícolas a famílias deslocadas com acesso a terra em Montepuez.", ["2.3"], ["agricultura", "sementes"]),
  S("CARE", "US", "en", "Agricultural inputs for displaced farmers, Montepuez",
    "Seed and hoe kits for displaced households given plots near the Montepuez resettlement centres.", ["2.3"], ["livelihoods", "seeds"]),
  "both hand monthly rice-beans-oil food baskets to displaced families in Montepuez; one ticks no goal",
  "both give seed and tool kits to displaced farmers in Montepuez",
  "food baskets vs seeds and tools"),

 (BEIRA, MANGA, "2023-10-01", "2024-12-31",
  S("Cruz Roja", None, "pt", "Reconstrução de latrinas após o ciclone, Beira",
    "Construção de latrinas melhoradas resistentes a cheias para famílias afetadas pelo ciclone nos bairros da Beira.", ["6.2"], ["saneamento", "latrinas"]),
  S("WaterAid Moçambique", "MZ", "en", "Flood-resilient household latrines in Manga",
    "Raised, flood-resilient latrines built with families in Manga whose toilets were destroyed by the cyclone.", ["6.2"], ["sanitation"]),
  S("UNITED NATIONS CHILDREN'S FUND", None, "pt", "Reabilitação de fontenários na Beira",
    "Reabilitação de fontenários públicos e ligações à rede do FIPAG danificados pelo ciclone nos bairros da Beira.", ["6.1"], ["abastecimento de água"]),
  S("GOAL", None, "en", "Repairing public standpipes in Manga, Beira",
    "Rehabilitation of public water taps and network connections damaged by the cyclone in Manga.", ["6.1"], ["water supply"]),
  "both build flood-resilient household latrines for cyclone-affected families in Beira/Manga (8 km)",
  "both rehabilitate cyclone-damaged public standpipes on the city network in Beira/Manga",
  "latrines vs public standpipes (sanitation vs water supply)"),

 (ZIG, None, "2024-01-01", "2025-12-31",
  S("Oxfam Novib", "NL", "fr", "Restauration de la mangrove en Casamance",
    "Reboisement de palétuviers avec les femmes des villages du fleuve Casamance autour de Ziguinchor et suivi des parcelles replantées.", ["14.2", "13.1"], ["mangrove", "restauration"]),
  S("Kawawana Casamance Nature", "SN", "en", "Mangrove replanting with women's groups, Ziguinchor",
    "Women's groups in villages along the Casamance river near Ziguinchor replant mangroves and monitor survival of the seedlings.", ["14.2", "15.1"], ["mangroves"]),
  S("ENABEL, BELGISCH ONTWIKKELINGSAGENTSCHAP", "BE", "fr", "Coopératives de pêche artisanale de Ziguinchor",
    "Appui aux coopératives de pêcheurs artisanaux de Ziguinchor : équipement, fumoirs améliorés et commercialisation du poisson.", ["14.b"], ["pêche artisanale", "coopératives"]),
  S("FAO", None, "en", "Supporting small-scale fishers' cooperatives in Casamance",
    "Boats, nets, improved fish-smoking ovens and marketing support for artisanal fishing cooperatives in Ziguinchor.", ["14.b"], ["fisheries"]),
  "both replant mangroves with women's groups in villages along the Casamance near Ziguinchor",
  "both equip artisanal fishers' cooperatives and improve fish smoking and sales in Ziguinchor",
  "mangrove planting vs fishing cooperatives"),

 (KOLDA, None, "2024-03-01", "2025-02-28",
  S("PLAN", None, "fr", "Lutte contre le mariage d'enfants à Kolda",
    "Dialogues communautaires, clubs de filles et plaidoyer auprès des chefs religieux pour mettre fin au mariage des enfants dans la région de Kolda.", ["5.3"], ["mariage d'enfants", "filles"]),
  S("Tostan Kolda", "SN", "fr", "Non au mariage précoce",
    "Nos animatrices discutent avec les familles et les imams des villages de Kolda pour retarder le mariage des filles et les maintenir à l'école.", ["5.3", "4.1"], ["mariage précoce"]),
  S("UNITED NATIONS POPULATION FUND", None, "fr", "Planification familiale dans les postes de santé de Kolda",
    "Renforcement de l'offre de contraception moderne dans les postes de santé et formation des sages-femmes à Kolda.", ["3.7"], ["planification familiale"]),
  S("Management Science for Health", "US", "en", "Family planning services in Kolda health posts",
    "Contraceptive supply chain and midwife training so that Kolda health posts offer a full choice of modern family planning methods.", ["3.7", "5.6"], ["family planning"]),
  "both campaign against child marriage through community dialogue and religious leaders in Kolda villages (paraphrase, French)",
  "both strengthen modern contraception services and midwives in Kolda health posts",
  "child-marriage prevention vs family-planning services"),

 (DIFFA, None, "2024-01-01", "2024-12-31",
  S("Danish Refugee Council", "DK", "fr", "Cash for work : réhabilitation de routes à Diffa",
    "Travaux à haute intensité de main-d'œuvre rémunérés pour réhabiliter des pistes et des digues avec des déplacés et des hôtes de Diffa.", ["8.5", "1.3"], ["argent contre travail"]),
  S("Mercy Corps", "US", "en", "Paid public works for displaced and host youth, Diffa",
    "Youth from displaced and host families in Diffa are paid daily wages to rehabilitate rural roads and flood dykes.", ["8.5", "8.6"], ["cash for work"]),
  S("International Rescue Committee", "US", "fr", "Subventions de démarrage pour les activités génératrices de revenus des femmes, Diffa",
    "Formation en gestion et subventions en espèces pour lancer un petit commerce (petite restauration, embouche ovine) pour les femmes déplacées et hôtes de Diffa.", ["8.3", "5.a"], ["AGR", "femmes"]),
  S("Islamic Relief", "GB", "fr", "Appui aux AGR des femmes de la commune de Diffa",
    "Des femmes déplacées et hôtes de Diffa reçoivent une formation en gestion simplifiée et un fonds de démarrage pour un petit commerce ou l'embouche.", ["8.3"], ["moyens d'existence"]),
  "both pay displaced and host residents of Diffa to rehabilitate roads and dykes (cash for work = paid public works)",
  "both give business training and start-up grants for small trade to displaced and host women in Diffa",
  "cash for work on roads vs start-up grants for women's small businesses"),

 (TILLA, None, "2024-06-01", "2025-05-31",
  S("CARE", "US", "fr", "Associations villageoises d'épargne et de crédit, Tillabéri",
    "Création et accompagnement de groupes d'épargne Mata Masu Dubara pour les femmes de Tillabéri.", ["5.a", "1.4"], ["épargne", "femmes"]),
  S("Oxfam Novib", "NL", "en", "Village savings and loan associations for women, Tillabéri",
    "Forming and coaching women's VSLAs in Tillabéri so members can save weekly and take small loans.", ["1.4", "5.a"], ["VSLA", "women"]),
  S("Helvetas", "CH", "fr", "Alphabétisation fonctionnelle des femmes, Tillabéri",
    "Centres d'alphabétisation fonctionnelle en langue zarma pour les femmes adultes des villages de Tillabéri.", ["4.6"], ["alphabétisation"]),
  S("UNITED NATIONS EDUCATIONAL, SCIENTIFIC & CULTURAL ORGANIZATION", None, "en", "Adult literacy centres for women in Tillabéri",
    "Functional literacy classes in Zarma for adult women in villages of Tillabéri.", ["4.6"], ["adult literacy"]),
  "both form and coach women's savings groups (Mata Masu Dubara = VSLA) in Tillabéri",
  "both run functional literacy classes in Zarma for women in Tillabéri",
  "savings groups vs adult literacy for the same women"),

 (GOMA, MUNIGI, "2024-02-01", "2025-01-31",
  S("Medecins Sans Frontieres (Doctors Without Borders)", None, "fr", "Prise en charge médicale des survivantes de violences sexuelles, Goma",
    "Soins médicaux (PEP, contraception d'urgence) et orientation psychosociale des survivantes de violences sexuelles dans les sites de déplacés autour de Goma.", ["5.2", "3.7"], ["VBG", "santé"]),
  S("International Medical Corps", "US", "en", "Clinical management of rape in Munigi displacement sites",
    "Clinical care within 72 hours (PEP kits, emergency contraception) for survivors of sexual violence in the displacement sites of Munigi, with referral to counselling.", ["5.2"], ["GBV", "clinical care"]),
  S("UNICEF", None, "fr", "Réunification familiale des enfants non accompagnés, Goma",
    "Identification, documentation et recherche familiale pour les enfants non accompagnés et séparés dans les sites de déplacés de Goma.", ["16.2"], ["protection de l'enfance"]),
  S("War Child UK", "GB", "en", "Family tracing for separated children, Nyiragongo",
    "Identifying, documenting and reuniting unaccompanied and separated children with their families in displacement sites of Nyiragongo near Goma.", ["16.2"], ["family tracing"]),
  "both give clinical care for rape survivors in displacement sites around Goma (7 km, French and English)",
  "both trace families and reunify separated children in the same displacement sites",
  "clinical GBV care vs family tracing"),

 (BUNIA, None, "2024-01-01", "2025-06-30",
  S("Intersos - Humanitarian Organization for Emergency", "IT", "fr", "Distribution d'articles ménagers essentiels, Bunia",
    "Kits d'articles ménagers essentiels (bâches, couvertures, ustensiles, jerrycans) pour les nouveaux déplacés arrivés dans les sites de Bunia.", ["1.5"], ["AME", "déplacés"]),
  S("Norwegian Refugee Council", "NO", "en", "Non-food item kits for new arrivals in Bunia sites",
    "NFI kits with tarpaulins, blankets, cooking sets and jerrycans for newly displaced families in Bunia's displacement sites.", ["1.5"], ["NFI"]),
  S("Première Urgence-Aide Medicale Internationale", "FR", "fr", "Cliniques mobiles dans les sites de déplacés de Bunia",
    "Cliniques mobiles offrant consultations, soins prénataux et référencements aux déplacés des sites de Bunia.", ["3.8"], ["santé", "cliniques mobiles"]),
  S("Medecins Sans Frontieres (Doctors Without Borders)", None, "en", "Mobile clinics for displaced people around Bunia",
    "Mobile medical teams providing outpatient consultations and antenatal care in displacement sites of Bunia.", ["3.8"], ["health"]),
  "both give NFI kits (tarps, blankets, jerrycans) to new arrivals in Bunia's sites (French and English)",
  "both run mobile clinics in the Bunia displacement sites",
  "NFI kits vs mobile clinics"),

 (GAMBELA, None, "2024-03-01", "2025-02-28",
  S("UN HIGH COMMISSIONER FOR REFUGEES (UNHCR)", None, "en", "Firewood alternatives: briquettes for refugee households, Gambella",
    "Production and distribution of fuel briquettes from agricultural waste to South Sudanese refugee households in Gambella camps to reduce firewood collection.", ["7.1", "15.2"], ["energy", "fuel"]),
  S("GIZ", None, "en", "Briquettes instead of firewood in the Gambella camps",
    "Refugee women's groups in the Gambella camps are trained and equipped to press fuel briquettes from crop residues and sawdust, which are distributed to households so they collect less firewood.", ["7.1"], ["alternative fuel", "briquettes"]),
  S("Norwegian Church Aid", "NO", "en", "Solar street lights in Gambella refugee camps",
    "Installing solar street lights along paths to latrines and water points in the Gambella camps to improve safety at night.", ["7.1", "5.2"], ["solar lighting", "safety"]),
  S("Swedish International Development Cooperation Agency (SIDA)", "SE", "sv", "Solcellsdriven gatubelysning i flyktinglägren i Gambella",
    "Installation av solcellsdrivna gatlampor längs stigarna till latriner och vattenpunkter i flyktinglägren i Gambella för ökad trygghet nattetid.", ["7.1"], ["solenergi", "trygghet"]),
  "both make and distribute crop-residue fuel briquettes to refugee households in the Gambella camps to replace firewood", "both install solar street lights on paths to latrines and water points in the Gambella camps (English and Swedish)",
  "cooking fuel vs solar street lighting in the same camps"),
]
