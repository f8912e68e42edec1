"""The PyTorch CPU peer of `brrr bench`: a server reading one JSON request per line on stdin and
answering one JSON line per request, so one process (one `import torch`) serves a whole run while
the JS side alternates engines. Requests: {"w": "W1".."W5", "threads": t, "seconds": s, "n": gemm
size, "mnist": dir, "order": path of int32 batch order, "steps": max steps}. Same models as
bench/workloads.ts: Adam 1e-3, PyTorch default initialisation."""
import json, math, os, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
        self.d1, self.d2, self.d3 = nn.Linear(256, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.d3(F.relu(self.d2(F.relu(self.d1(x.flatten(1))))))


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm, self.head = nn.LSTM(8, 128, batch_first=True), nn.Linear(128, 1)

    def forward(self, x):
        return self.head(self.lstm(x)[0][:, -1])


def model(w):
    if w == 'W2':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if w == 'W3':
        return LeNet()
    if w == 'W4':
        return Lstm()
    return nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, batch_first=True)


SHAPES = {'W2': ((128, 1, 28, 28), 10), 'W3': ((64, 1, 28, 28), 10), 'W4': ((32, 50, 8), (32, 1)), 'W5': ((32, 64, 128), (32, 64, 128))}


def train(req):
    w, seconds = req['w'], req['seconds']
    torch.manual_seed(1)
    m = model(w)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    xs, ys = SHAPES[w]
    x = torch.rand(xs) * 2 - 1
    y = torch.randint(0, ys, (xs[0],)) if isinstance(ys, int) else torch.rand(ys) * 2 - 1
    loss_fn = F.cross_entropy if isinstance(ys, int) else F.mse_loss

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(m(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or steps < 2:
        step()
        steps += 1
    s = time.perf_counter() - t0
    return {'rate': steps / s if w == 'W5' else steps * xs[0] / s}


def mnist(req):
    d = req['mnist']
    xtr = idx(os.path.join(d, 'train-images-idx3-ubyte')).float().div_(255).reshape(-1, 1, 28, 28)
    ytr = idx(os.path.join(d, 'train-labels-idx1-ubyte')).long()
    xte = idx(os.path.join(d, 't10k-images-idx3-ubyte')).float().div_(255).reshape(-1, 1, 28, 28)
    yte = idx(os.path.join(d, 't10k-labels-idx1-ubyte')).long()
    with open(req['order'], 'rb') as f:
        order = torch.frombuffer(bytearray(f.read()), dtype=torch.int32).long()
    torch.manual_seed(1)
    m = model('W2')
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    b = 128
    total = len(order) // b
    n = min(total, req.get('steps') or total)
    t0 = time.perf_counter()
    for i in range(n):
        rows = order[i * b:(i + 1) * b]
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(m(xtr[rows]), ytr[rows]).backward()
        opt.step()
    rate = n * b / (time.perf_counter() - t0)
    if n < total:
        return {'rate': rate, 'note': f'{n} of {total} steps'}
    with torch.no_grad():
        acc = (m(xte).argmax(1) == yte).float().mean().item()
    return {'rate': rate, 'accuracy': acc}


def gemm(req):
    n = req['n']
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(3):
        a @ b
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < req['seconds'] or reps < 2:
        a @ b
        reps += 1
    return {'rate': 2 * n ** 3 / ((time.perf_counter() - t0) / reps) / 1e9}


print(json.dumps({'ready': True, 'torch': torch.__version__}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    torch.set_num_threads(req['threads'])
    try:
        out = gemm(req) if req['w'] == 'W1' else mnist(req) if req.get('mnist') else train(req)
    except Exception as e:  # reported as a failed cell, the run goes on
        out = {'rate': None, 'note': f'fails: {str(e).splitlines()[0][:80]}'}
    print(json.dumps(out), flush=True)
