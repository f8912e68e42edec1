/**
 * @file model.py: the network as a readable `nn.Module` (one attribute per canvas node, named
 * after its id), the mapping between the studio's safetensors weights and the module's state
 * dict (both ways), and a small safetensors reader and writer (numpy only, no extra package).
 * Runs on PyTorch 1.13 and 2.x.
 */
import { PY_HELPERS } from './layers';
import { pyString } from './names';
import type { PyPlan } from './plan';

const indent = (lines: readonly string[], n: number): string[] => lines.map((l) => (l ? ' '.repeat(n) + l : l));

function stateMapping(plan: PyPlan): string[] {
  const toLines = plan.state.map((s) => {
    const parts = s.from.map((name) => `w[${pyString(name)}]${s.transpose ? '.t()' : ''}`);
    return `${pyString(s.key)}: ${parts.length === 1 ? parts[0] : `torch.cat([${parts.join(', ')}])`},`;
  });
  const fromLines: string[] = [];
  for (const s of plan.state) {
    if (s.from.length === 1) {
      fromLines.push(`${pyString(s.from[0])}: sd[${pyString(s.key)}]${s.transpose ? '.t()' : ''},`);
      continue;
    }
    s.from.forEach((name, i) => fromLines.push(`${pyString(name)}: sd[${pyString(s.key)}].chunk(${s.from.length})[${i}]${s.transpose ? '.t()' : ''},`));
  }
  return [
    'def to_state_dict(w):',
    '    """Studio tensors (safetensors names `node.weight`) -> this module\'s state dict."""',
    '    return {',
    ...indent(toLines, 8),
    '    }',
    '',
    '',
    'def from_state_dict(sd):',
    '    """This module\'s state dict -> studio tensors (to import back into Brrr Studio)."""',
    '    return {',
    ...indent(fromLines, 8),
    '    }',
  ];
}

const SAFETENSORS = `def read_safetensors(path):
    """Tensors and metadata of a safetensors file (F32, F64, I32, I64)."""
    dtypes = {"F32": "<f4", "F64": "<f8", "I32": "<i4", "I64": "<i8"}
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data, dtype=dtypes[entry["dtype"]], count=(end - begin) // np.dtype(dtypes[entry["dtype"]]).itemsize, offset=8 + length + begin)
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes float32 tensors (names sorted) with string metadata."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name].detach().cpu().float().numpy(), dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        chunks.append(array.tobytes())
        offset += array.nbytes
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(chunks))


def load_brrr_weights(model, path):
    """Loads the studio's weights file into \`model\`; every tensor must fit."""
    tensors, metadata = read_safetensors(path)
    state = {k: v.to(torch.float32) for k, v in to_state_dict(tensors).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path} does not fit {type(model).__name__}: missing {missing}, unexpected {unexpected}")
    return metadata


def save_brrr_weights(model, path, metadata=None):
    """Writes the module's weights under the studio's names (import them back with the Export dialog's counterpart)."""
    write_safetensors(path, from_state_dict(model.state_dict()), {"format": "brrr-weights", **(metadata or {})})`;

export function modelPy(plan: PyPlan, provenance: string): string {
  const params = plan.inputs.map((i) => i.py).join(', ');
  const valueEntries = [...plan.inputNodes.map((n) => `${pyString(n.nodeId)}: ${n.py},`), ...plan.statements.map((s) => `${pyString(s.nodeId)}: ${s.py},`)];
  const result =
    plan.outputs.length === 1 ? `return v[${pyString(plan.outputs[0].nodeId)}]` : `return {${plan.outputs.map((o) => `${pyString(o.name)}: v[${pyString(o.nodeId)}]`).join(', ')}}`;
  const lines = [
    `"""${plan.networkName}: ${provenance}`,
    '',
    'The module reads its inputs as [batch, ...] tensors and returns',
    plan.outputs.length === 1 ? `its prediction "${plan.outputs[0].name}".` : `a dict of predictions: ${plan.outputs.map((o) => `"${o.name}"`).join(', ')}.`,
    'load_brrr_weights(model, "weights.safetensors") loads the weights the studio exported.',
    '"""',
    'import json',
    'import struct',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    '# Dataset fields the model reads: shape of one example and dtype.',
    `INPUTS = {${plan.inputs.map((i) => `${pyString(i.name)}: {"shape": [${i.shape.join(', ')}], "dtype": "${i.dtype === 'i32' ? 'int64' : 'float32'}"}`).join(', ')}}`,
    `OUTPUTS = [${plan.outputs.map((o) => pyString(o.name)).join(', ')}]`,
    '',
    '',
    ...plan.helpers.flatMap((h) => [PY_HELPERS[h], '', '']),
    `class ${plan.className}(nn.Module):`,
    '    def __init__(self):',
    '        super().__init__()',
    ...plan.modules.map((m) => `        self.${m.attr} = ${m.expr}  # ${m.comment}`),
    '',
    `    def forward(self, ${params}, all_values=False):`,
    '        """The predictions; with all_values=True, every node\'s output by node id (losses read these)."""',
    ...plan.statements.map((s) => `        ${s.py} = ${s.expr}`),
    '        v = {',
    ...indent(valueEntries, 12),
    '        }',
    '        if all_values:',
    '            return v',
    `        ${result}`,
    '',
    '',
    ...stateMapping(plan),
    '',
    '',
    SAFETENSORS,
    '',
  ];
  return lines.join('\n');
}
