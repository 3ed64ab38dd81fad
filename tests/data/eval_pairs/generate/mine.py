import sys, itertools, datetime, collections
sys.path.insert(0, '.')
from lib import *

def main():
    G = {
     'HYG_KIT': ['Distribución de kits de higiene','Distribución / Suministro de insumos de higiene','Entrega de artículos/kits de higiene o desinfección'],
     'FOOD_INKIND': ['Distribución de alimentos en artículos o especies','Distribución general de alimentos'],
     'CASH_FOOD': ['Transferencias monetarias para fines de SAN'],
     'WATER_SYS': ['Construcción, rehabilitación y/o mejoramiento de sistemas para el acceso a los servicios de agua, saneamiento e higiene','Construcción, rehabilitación y/o mejoramiento de sistemas para el acceso a los servicios de agua, saneamiento e higiene.'],
     'HANDWASH': ['Construcción, rehabilitación o instalación de puntos de lavado de manos funcionales (agua y jabón)'],
     'AGRI': ['Distribución de insumos agrícolas','Producción rápida, diversificada y resiliente de alimentos'],
     'SCHOOL_MAT': ['Entrega de materiales escolares'],
     'WATER_SUPPLY': ['Distribución / Suministro de agua'],
     'PPE': ['Entregas de equipo médico, equipo de protección personal e insumos.','Distribución de artículos de protección personal'],
     'HYG_PROMO': ['Actividades de promoción de higiene','Implementación de estrategias de promoción en prácticas de higiene y/o desinfección'],
     'NFI': ['Entrega de artículos no alimentarios','Distribución de artículos no alimentarios NFI'],
     'WATER_TREAT': ['Distribución de productos de tratamiento de agua','Distribución de filtros de agua'],
     'PSY': ['Soporte de salud mental a familias impactadas por el virus','Apoyo psicosocial','Apoyo y orientación psicológica'],
     'SRH': ['Apoyar la prestación de los servicios en salud sexual y reproductiva en grupos vulnerables'],
    }
    A2G = {a: g for g, l in G.items() for a in l}
    DIFF = [('HYG_KIT','WATER_SYS'),('HYG_KIT','WATER_SUPPLY'),('CASH_FOOD','AGRI'),('FOOD_INKIND','AGRI'),('HYG_PROMO','WATER_SYS'),('WATER_TREAT','HYG_KIT'),('HANDWASH','HYG_KIT'),('WATER_SUPPLY','HYG_PROMO'),('PSY','SRH'),('PPE','SRH'),('HYG_KIT','HYG_PROMO')]
    def D(s):
        s=s and re.match(r"(\d\d)/(\d\d)/(\d\d\d\d)",s)
        if not s or s.group(3)=='1970': return None
        return datetime.date(int(s.group(3)),int(s.group(2)),int(s.group(1)))
    recs=[]
    for (cc,rid),r in CA.items():
        g=A2G.get(r[21].strip())
        if not g or not r[13].strip() or not r[6].strip(): continue
        s,e=D(r[26]),D(r[27])
        if not s or not e or e<s: continue
        txt=(r[22]+' '+r[23]).replace('No comments','').strip()
        if len(txt)<35: continue
        recs.append(dict(cc=cc,id=rid,g=g,a1=r[11].strip(),a2=r[13].strip(),org=r[6].strip(),s=s,e=e,txt=txt,place=r[17].strip()))
    print(len(recs), file=sys.stderr)
    # dedupe: one per (org, g, a2, text prefix)
    seen=set(); R=[]
    for x in recs:
        k=(x['org'],x['g'],x['a2'],x['txt'][:40])
        if k in seen: continue
        seen.add(k); R.append(x)
    print(len(R), file=sys.stderr)
    mode=sys.argv[1]
    by=collections.defaultdict(list)
    for x in R: by[(x['cc'],fold(x['a2']))].append(x)
    out=[]; used=collections.Counter()
    def ov(x,y): return x['s']<=y['e'] and y['s']<=x['e']
    def gap(x,y): return max((y['s']-x['e']).days,(x['s']-y['e']).days)
    for key,l in sorted(by.items()):
        for x,y in itertools.combinations(l,2):
            if x['org']==y['org']: continue
            if mode=='pos' and x['g']==y['g'] and ov(x,y): out.append((x,y))
            if mode=='disj' and x['g']==y['g'] and gap(x,y)>=60: out.append((x,y))
            if mode=='diff' and ((x['g'],y['g']) in DIFF or (y['g'],x['g']) in DIFF) and ov(x,y): out.append((x,y))
    if mode=='far':
        for x,y in itertools.combinations(R,2):
            if x['org']==y['org'] or x['g']!=y['g'] or not ov(x,y) : continue
            if x['cc']==y['cc'] and fold(x['a1'])==fold(y['a1']): continue
            try:
                p=adm1_centroid(x['cc'],x['a1'])[:2]; q=adm1_centroid(y['cc'],y['a1'])[:2]
            except KeyError: continue
            if km(p,q)>150: out.append((x,y))
    import random
    random.seed(7)
    # diversity: limit per group-pair and per municipality
    cnt=collections.Counter(); sel=[]
    random.shuffle(out)
    for x,y in out:
        k=(x['g'],y['g'],x['a2'] if mode!='far' else x['a1']+y['a1'])
        k2=(x['org'],y['org'],x['g'])
        if cnt[k]>=1 or cnt[k2]>=2: continue
        cnt[k]+=1; cnt[k2]+=1; sel.append((x,y))
    print(len(out), len(sel), file=sys.stderr)
    for x,y in sel[:int(sys.argv[2])]:
        print(f"{x['cc']}:{x['id']} | {y['cc']}:{y['id']} | {x['g']}/{y['g']} | {x['org']}/{y['org']} | {x['a2']}/{y['a2']} | {x['s']}..{x['e']} / {y['s']}..{y['e']}\n   A: {x['txt'][:160]}\n   B: {y['txt'][:160]}")


if __name__ == "__main__":
    main()
