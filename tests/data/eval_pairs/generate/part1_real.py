"""Pairs whose both sides are real 345W rows (Honduras, El Salvador, Guatemala, 2020-2021)."""
from lib import P, ca

# ---- easy positives: same activity, same municipality, same months, different organisations
P("easy_positive", True, "Both deliver WFP-linked cash for food to families in Panchimalco in Oct 2020; Plan's transfer is 'asocio con PMA'.",
  ca("SV", "599325"), ca("SV", "598137"))
P("easy_positive", True, "Both give monthly cash for food needs to vulnerable families in the municipality of La Libertad in Oct-Dec 2020.",
  ca("SV", "599265"), ca("SV", "598132"))
P("easy_positive", True, "WFP cash-based transfers and ChildFund/Tierra Nueva cash for food both reach families in Huehuetenango municipality in Oct 2020.",
  ca("GT", "613181"), ca("GT", "607697"))
P("easy_positive", True, "Both hand out two-month maize/bean food packages or food assistance to families in Panzós in October 2020.",
  ca("GT", "636518"), ca("GT", "608509"))
P("easy_positive", True, "Both install handwashing stations in public schools of Tegucigalpa (Distrito Central) in late 2020.",
  ca("HN", "597623"), ca("HN", "597179"))
P("easy_positive", True, "Both distribute personal hygiene kits to families in Choluteca municipality in Dec 2020.",
  ca("HN", "651533"), ca("HN", "597745"))
P("easy_positive", True, "Both run hygiene-promotion / behaviour-change work with communities in Chiantla during Nov-Dec 2020.",
  ca("GT", "719185"), ca("GT", "116982"))
P("easy_positive", True, "UNICEF and UNFPA both give technical assistance to the Ministry of Education on psychosocial support in Guatemala City, same weeks.",
  ca("GT", "116733"), ca("GT", "116214"))
P("easy_positive", True, "Both distribute hygiene kits to families in San Lorenzo (Valle) between Sep 2020 and Jan 2021.",
  ca("HN", "618989"), ca("HN", "597746"))

# ---- different work, same place and goal family, same time
P("different_work_same_place", False, "Drilling a well with a hand pump is not the same work as handing out handwashing kits, although both are WASH in Choluteca.",
  ca("HN", "699681"), ca("HN", "597745"))
P("different_work_same_place", False, "School water tanks and handwashing stations vs. hygiene promotion in neighbourhoods of Tegucigalpa: different activities.",
  ca("HN", "597643"), ca("HN", "597181"))
P("different_work_same_place", False, "Cash for food vs. seed-and-fertiliser kits in San Juan Nonualco: both SDG 2, different work.",
  ca("SV", "599196"), ca("SV", "598321"))
P("different_work_same_place", False, "Cash for food vs. seed-and-fertiliser kits in San Luis Talpa: both food security, different activities.",
  ca("SV", "599194"), ca("SV", "598322"))
P("different_work_same_place", False, "Family hygiene kits for pregnant women vs. chlorine dosers and water-quality test kits for community systems in Jocotán.",
  ca("GT", "723522"), ca("GT", "719324"))
P("different_work_same_place", False, "Family hygiene kits vs. building water storage and handwashing structures in schools in Jocotán.",
  ca("GT", "723522"), ca("GT", "718935"))
P("different_work_same_place", False, "Hygiene kits for MINSAL health staff vs. support to the community drinking-water board in Ahuachapán: different WASH work.",
  ca("SV", "120020"), ca("SV", "119345"))

# ---- same activity, same municipality, disjoint periods
P("disjoint_periods", False, "Food baskets in Soyapango: World Vision in Apr-May 2020, WFP in Aug-Nov 2020; the efforts never run at the same time.",
  ca("SV", "598136"), ca("SV", "599253"))
P("disjoint_periods", False, "Family food kits in San Salvador: Plan in Jun-Aug 2020, FUSAL in Feb-Mar 2021.",
  ca("SV", "597735"), ca("SV", "747137"))
P("disjoint_periods", False, "Food kits in Mejicanos: WFP Aug-Nov 2020 and FUSAL Feb-Mar 2021, no common period.",
  ca("SV", "599248"), ca("SV", "747135"))
P("disjoint_periods", False, "Food for families in Panzós: UN Women on 1-2 July 2020, ChildFund in October 2020.",
  ca("GT", "120768"), ca("GT", "608509"))
P("disjoint_periods", False, "Hygiene promotion in Olopa: Helvetas in April 2020, World Vision Nov 2020-Feb 2021.",
  ca("GT", "116978"), ca("GT", "719197"))
P("disjoint_periods", False, "PPE donations to health facilities in San Pedro Sula: IOM in June 2020, LWR from Dec 2020.",
  ca("HN", "122571"), ca("HN", "721609"))

# ---- same activity, far apart
P("far_apart", False, "School handwashing stations in La Esperanza (Intibucá, Honduras) and in Yepocapa (Chimaltenango, Guatemala): same work, ~330 km apart.",
  ca("HN", "597637"), ca("GT", "718841"))
P("far_apart", False, "School handwashing stations in Gracias (Lempira) vs. Nuevo Progreso (San Marcos, Guatemala), different countries.",
  ca("HN", "597639"), ca("GT", "718922"))
P("far_apart", False, "Chlorine production kits for water systems in Copán (Honduras) vs. chlorine dosers in Quetzaltenango (Guatemala).",
  ca("HN", "706824"), ca("GT", "719315"))
P("far_apart", False, "Food rations in Santa Bárbara (Honduras) vs. WFP food baskets in Chilanga (Morazán, El Salvador).",
  ca("HN", "598806"), ca("SV", "599219"))
P("far_apart", False, "Cash for food in San Francisco Chinameca (El Salvador) vs. in Alta/Baja Verapaz (Guatemala).",
  ca("SV", "599316"), ca("GT", "608542"))
P("far_apart", False, "Hygiene kits for families under confinement in Omoa (Cortés, Honduras) vs. in Puerto de La Libertad (El Salvador).",
  ca("HN", "122063"), ca("SV", "119739"))
P("far_apart", False, "WFP food rations in Reitoca (Honduras) vs. Plan cash for food in Tamanique (El Salvador).",
  ca("HN", "640893"), ca("SV", "598135"))
P("far_apart", False, "Hygiene-promotion materials in San Juan Ermita (Chiquimula) vs. community leaders' hygiene work in La Democracia (Huehuetenango), ~230 km apart.",
  ca("GT", "719196"), ca("GT", "116984"))
P("far_apart", False, "Portable handwashing stations in Palestina de Los Altos (Guatemala) vs. school handwashing in Tegucigalpa (Honduras).",
  ca("GT", "719334"), ca("HN", "597179"))
