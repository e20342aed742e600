import json
import numpy as np
from openquake.hazardlib import valid
from openquake.hazardlib.imt import from_string
data = json.load(open('/tmp/edge/ctx.json'))
res = {}
for model, d in data.items():
    gsim = valid.gsim(model)
    n = len(next(iter(d['vals'].values())))
    dt = [(k, bool if k in ('vs30measured', 'backarc') else float) for k in d['vals']]
    ctx = np.zeros(n, dt).view(np.recarray)
    for k, v in d['vals'].items():
        ctx[k] = v
    imts = [from_string(i) for i in d['imts']]
    M = len(imts)
    mean, sig, tau, phi = (np.zeros((M, n)) for _ in range(4))
    try:
        gsim.compute(ctx, imts, mean, sig, tau, phi)
    except Exception as e:
        print(model, 'OQ error', e)
        continue
    res[model] = np.array([mean, sig, tau, phi])
np.savez('/tmp/edge/oq.npz', **res)
print('done', len(res))
