/**
 * @file How each layer reads in PyTorch (1.13 and 2.x), one entry per registry type (a mapped type
 * over `LayerType`: a new layer without an entry is a build error): the `nn` submodule it
 * becomes, its forward expression, how our tensors map to the submodule's state dict (Dense
 * kernels [in, out] are transposed to Linear's [out, in]; MultiheadAttention's in_proj_weight is
 * [Wqᵀ; Wkᵀ; Wvᵀ]; convolution and recurrent weights are already PyTorch's), and for losses
 * the loss expression the training script sums.
 */
import type { LayerType } from '../../layers';
import { convPads, type PadMode } from '../../layers/conv';

type Params = Readonly<Record<string, unknown>>;

export interface PyContext {
  readonly nodeId: string;
  /** The Python attribute and variable name of this node. */
  readonly attr: string;
  readonly params: Params;
  /** Input shapes, batch as 'B'. */
  shape(port: string): readonly (number | string)[];
  /** The Python variable feeding an input port. */
  input(port: string): string;
  numberedInputs(): string[];
  hasWeight(name: string): boolean;
}

/** One state-dict entry: `${attr}.${key}` = cat(our tensors, transposed when asked). */
export interface StateEntry {
  readonly key: string;
  readonly from: readonly string[];
  readonly transpose: boolean;
}

export interface PyRule {
  /** The submodule, e.g. `nn.Linear(784, 128)`; none for stateless layers written inline. */
  readonly module?: (c: PyContext) => string;
  /** The forward expression. */
  readonly call: (c: PyContext) => string;
  readonly state?: (c: PyContext) => StateEntry[];
  /** Helper classes (defined once in model.py) the module uses. */
  readonly helpers?: readonly PyHelper[];
}

/** A loss: `(prediction, target) → scalar`, the mean over examples as the engine computes it. */
export interface PyLoss {
  readonly loss: (c: PyContext, prediction: string, target: string) => string;
  /** The target's dtype in the batch. */
  readonly target: 'long' | 'float';
}

export type PyHelper = 'SinusoidalPositions' | 'LearnedPositions';

const num = (p: Params, k: string): number => p[k] as number;
const ints = (p: Params, k: string): number[] => [...(p[k] as readonly number[])];
const bool = (p: Params, k: string): boolean => p[k] !== false;
const py = (b: boolean): string => (b ? 'True' : 'False');
const pair = (xs: readonly number[]): string => `(${xs[0]}, ${xs[1]})`;
const same = (key: string, from: string): StateEntry => ({ key, from: [from], transpose: false });
const last = (s: readonly (number | string)[]): number => s[s.length - 1] as number;

const inline = (call: (c: PyContext) => string): PyRule => ({ call });
const activation = (module: string): PyRule => ({ module: () => module, call: (c) => `self.${c.attr}(${c.input('in')})` });

const linearState = (c: PyContext, prefix = ''): StateEntry[] => [
  { key: `${prefix}weight`, from: ['kernel'], transpose: true },
  ...(c.hasWeight('bias') ? [same(`${prefix}bias`, 'bias')] : []),
];

/** nn.MultiheadAttention's tensors under `prefix`. */
const attentionState = (prefix: string, bias: boolean): StateEntry[] => [
  { key: `${prefix}in_proj_weight`, from: ['wq', 'wk', 'wv'], transpose: true },
  { key: `${prefix}out_proj.weight`, from: ['wo'], transpose: true },
  ...(bias ? [{ key: `${prefix}in_proj_bias`, from: ['bq', 'bk', 'bv'], transpose: false }, same(`${prefix}out_proj.bias`, 'bo')] : []),
];

/** A bool mask, True above the diagonal: position i does not see j > i. */
const causalMask = (x: string): string => `torch.ones(${x}.shape[1], ${x}.shape[1], dtype=torch.bool, device=${x}.device).triu(1)`;

function recurrent(kind: 'LSTM' | 'GRU'): PyRule {
  return {
    module: (c) => `nn.${kind}(${last(c.shape('in'))}, ${num(c.params, 'units')}, bias=${py(bool(c.params, 'bias'))}, batch_first=True)`,
    call: (c) => (c.params.output === 'sequence' ? `self.${c.attr}(${c.input('in')})[0]` : `self.${c.attr}(${c.input('in')})[1]${kind === 'LSTM' ? '[0]' : ''}[-1]`),
    state: (c) => [
      same('weight_ih_l0', 'weightIh'),
      same('weight_hh_l0', 'weightHh'),
      ...(c.hasWeight('biasIh') ? [same('bias_ih_l0', 'biasIh'), same('bias_hh_l0', 'biasHh')] : []),
    ],
  };
}

const loss = (target: PyLoss['target'], f: PyLoss['loss']): PyLoss => ({ target, loss: f });

export const pyLosses: { readonly [T in LayerType]?: PyLoss } = {
  MSELoss: loss('float', (_c, p, t) => `F.mse_loss(${p}, ${t})`),
  MAELoss: loss('float', (_c, p, t) => `F.l1_loss(${p}, ${t})`),
  HuberLoss: loss('float', (c, p, t) => `F.huber_loss(${p}, ${t}, delta=${num(c.params, 'delta')})`),
  BCEWithLogitsLoss: loss('float', (_c, p, t) => `F.binary_cross_entropy_with_logits(${p}, ${t})`),
  // classes on the last axis: positions of a sequence count as examples
  CrossEntropyLoss: loss('long', (c, p, t) => `F.cross_entropy(${p}.reshape(-1, ${p}.shape[-1]), ${t}.reshape(-1), label_smoothing=${num(c.params, 'labelSmoothing')})`),
};

export const pyRules: { readonly [T in LayerType]: PyRule | 'input' | 'output' | 'loss' } = {
  Input: 'input',
  Output: 'output',
  Dense: {
    module: (c) => `nn.Linear(${last(c.shape('in'))}, ${num(c.params, 'units')}, bias=${py(bool(c.params, 'bias'))})`,
    call: (c) => `self.${c.attr}(${c.input('in')})`,
    state: (c) => linearState(c),
  },
  Flatten: inline((c) => `torch.flatten(${c.input('in')}, 1)`),
  Reshape: inline((c) => `${c.input('in')}.reshape(${c.input('in')}.shape[0], ${ints(c.params, 'shape').join(', ')})`),
  Concat: inline((c) => `torch.cat([${c.numberedInputs().join(', ')}], dim=${num(c.params, 'axis')})`),
  Add: inline((c) => c.numberedInputs().join(' + ')),
  Embedding: {
    module: (c) => `nn.Embedding(${num(c.params, 'vocabulary')}, ${num(c.params, 'dim')})`,
    call: (c) => `self.${c.attr}(${c.input('in')}.long())`,
    state: () => [same('weight', 'table')],
  },
  Conv2D: {
    module: (c) => {
      const channels = c.shape('in')[1] as number;
      const p = conv2dPads(c);
      const symmetric = p[0] === p[1] && p[2] === p[3];
      const padding = symmetric ? `(${p[0]}, ${p[2]})` : '0';
      return `nn.Conv2d(${channels}, ${num(c.params, 'filters')}, ${pair(ints(c.params, 'kernel'))}, stride=${pair(ints(c.params, 'stride'))}, padding=${padding}, dilation=${pair(ints(c.params, 'dilation'))}, groups=${num(c.params, 'groups')}, bias=${py(bool(c.params, 'bias'))})`;
    },
    call: (c) => {
      const [top, bottom, left, right] = conv2dPads(c);
      if (top === bottom && left === right) return `self.${c.attr}(${c.input('in')})`;
      // asymmetric ("same" at stride 2, explicit): pad first; F.pad takes (left, right, top, bottom)
      return `self.${c.attr}(F.pad(${c.input('in')}, (${left}, ${right}, ${top}, ${bottom})))`;
    },
    state: (c) => [same('weight', 'kernel'), ...(c.hasWeight('bias') ? [same('bias', 'bias')] : [])],
  },
  ConvTranspose2D: {
    module: (c) =>
      `nn.ConvTranspose2d(${c.shape('in')[1] as number}, ${num(c.params, 'filters')}, ${pair(ints(c.params, 'kernel'))}, stride=${pair(ints(c.params, 'stride'))}, padding=${pair(ints(c.params, 'padding'))}, output_padding=${pair(ints(c.params, 'outputPadding'))}, groups=${num(c.params, 'groups')}, bias=${py(bool(c.params, 'bias'))}, dilation=${pair(ints(c.params, 'dilation'))})`,
    call: (c) => `self.${c.attr}(${c.input('in')})`,
    state: (c) => [same('weight', 'kernel'), ...(c.hasWeight('bias') ? [same('bias', 'bias')] : [])],
  },
  MaxPool2D: activationOf((c) => `nn.MaxPool2d(${pair(ints(c.params, 'kernel'))}, stride=${pair(ints(c.params, 'stride'))}, padding=${pair(ints(c.params, 'padding'))})`),
  AvgPool2D: activationOf((c) => `nn.AvgPool2d(${pair(ints(c.params, 'kernel'))}, stride=${pair(ints(c.params, 'stride'))}, padding=${pair(ints(c.params, 'padding'))}, count_include_pad=True)`),
  GlobalAvgPool: inline((c) => `${c.input('in')}.mean(dim=(2, 3))`),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  MultiHeadAttention: {
    module: (c) => `nn.MultiheadAttention(${last(c.shape('in'))}, ${num(c.params, 'heads')}, dropout=${num(c.params, 'dropout')}, bias=${py(bool(c.params, 'bias'))}, batch_first=True)`,
    call: (c) => {
      const x = c.input('in');
      const mask = c.params.causal === true ? `, attn_mask=${causalMask(x)}` : '';
      return `self.${c.attr}(${x}, ${x}, ${x}, need_weights=False${mask})[0]`;
    },
    state: (c) => attentionState('', bool(c.params, 'bias')),
  },
  TransformerEncoderBlock: {
    module: (c) =>
      `nn.TransformerEncoderLayer(${last(c.shape('in'))}, ${num(c.params, 'heads')}, dim_feedforward=${num(c.params, 'ffDim')}, dropout=${num(c.params, 'dropout')}, activation="${String(c.params.activation)}", layer_norm_eps=${num(c.params, 'epsilon')}, batch_first=True, norm_first=${py(c.params.norm === 'pre')})`,
    call: (c) => {
      const x = c.input('in');
      return c.params.causal === true ? `self.${c.attr}(${x}, src_mask=${causalMask(x)})` : `self.${c.attr}(${x})`;
    },
    state: () => [
      ...attentionState('self_attn.', true),
      { key: 'linear1.weight', from: ['ff1Kernel'], transpose: true },
      same('linear1.bias', 'ff1Bias'),
      { key: 'linear2.weight', from: ['ff2Kernel'], transpose: true },
      same('linear2.bias', 'ff2Bias'),
      same('norm1.weight', 'norm1Gamma'),
      same('norm1.bias', 'norm1Beta'),
      same('norm2.weight', 'norm2Gamma'),
      same('norm2.bias', 'norm2Beta'),
    ],
  },
  PositionalEncoding: {
    module: (c) => (c.params.kind === 'learned' ? `LearnedPositions(${num(c.params, 'maxLength')}, ${last(c.shape('in'))})` : `SinusoidalPositions()`),
    call: (c) => `self.${c.attr}(${c.input('in')})`,
    state: (c) => (c.params.kind === 'learned' ? [same('table', 'table')] : []),
    helpers: ['SinusoidalPositions', 'LearnedPositions'],
  },
  BatchNorm: {
    module: (c) => {
      const rank = c.shape('in').length;
      const kind = rank <= 3 ? '1d' : rank === 4 ? '2d' : '3d';
      return `nn.BatchNorm${kind}(${c.shape('in')[1] as number}, eps=${num(c.params, 'epsilon')}, momentum=${num(c.params, 'momentum')}, affine=${py(bool(c.params, 'affine'))})`;
    },
    call: (c) => `self.${c.attr}(${c.input('in')})`,
    state: (c) => [
      ...(c.hasWeight('gamma') ? [same('weight', 'gamma'), same('bias', 'beta')] : []),
      same('running_mean', 'runningMean'),
      same('running_var', 'runningVar'),
    ],
  },
  LayerNorm: {
    module: (c) => `nn.LayerNorm(${last(c.shape('in'))}, eps=${num(c.params, 'epsilon')}, elementwise_affine=${py(bool(c.params, 'affine'))})`,
    call: (c) => `self.${c.attr}(${c.input('in')})`,
    state: (c) => (c.hasWeight('gamma') ? [same('weight', 'gamma'), same('bias', 'beta')] : []),
  },
  Dropout: activationOf((c) => `nn.Dropout(${num(c.params, 'rate')})`),
  ReLU: activation('nn.ReLU()'),
  LeakyReLU: activationOf((c) => `nn.LeakyReLU(${num(c.params, 'negativeSlope')})`),
  Sigmoid: activation('nn.Sigmoid()'),
  Tanh: activation('nn.Tanh()'),
  GELU: activation('nn.GELU()'),
  Softmax: activationOf((c) => `nn.Softmax(dim=${num(c.params, 'axis')})`),
  MSELoss: 'loss',
  MAELoss: 'loss',
  HuberLoss: 'loss',
  CrossEntropyLoss: 'loss',
  BCEWithLogitsLoss: 'loss',
};

function activationOf(module: (c: PyContext) => string): PyRule {
  return { module, call: (c) => `self.${c.attr}(${c.input('in')})` };
}

function conv2dPads(c: PyContext): [number, number, number, number] {
  const s = c.shape('in');
  return convPads(c.params.padding as PadMode, ints(c.params, 'pads'), [s[2] as number, s[3] as number], ints(c.params, 'kernel'), ints(c.params, 'stride'), ints(c.params, 'dilation'));
}

/** Python source of the helper classes. */
export const PY_HELPERS: Readonly<Record<PyHelper, string>> = {
  SinusoidalPositions: `class SinusoidalPositions(nn.Module):
    """Adds PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(t / 10000^(2i/d)) to [batch, time, d]."""

    def forward(self, x):
        time, dim = x.shape[1], x.shape[2]
        t = torch.arange(time, dtype=torch.float64, device=x.device).unsqueeze(1)
        j = torch.arange(dim, device=x.device)
        angle = t / torch.pow(10000.0, (2 * torch.div(j, 2, rounding_mode="floor")).double() / dim)
        pe = torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle))
        return x + pe.to(x.dtype)`,
  LearnedPositions: `class LearnedPositions(nn.Module):
    """Adds a learned vector per position to [batch, time, d] (time <= max_length)."""

    def __init__(self, max_length, dim):
        super().__init__()
        self.table = nn.Parameter(torch.zeros(max_length, dim))

    def forward(self, x):
        return x + self.table[: x.shape[1]]`,
};
