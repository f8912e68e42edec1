/**
 * @file What every generated train.py shares: Python literals, the project's optimizer and
 * learning-rate schedule (same formulas as core/train/schedules.ts), the launch usage, imports,
 * the recipe's constants, torchrun set-up, and the studio's L1/L2 terms and gradient clipping.
 */
import type { TrainingRecipe } from '../../project/schema';

const pyNum = (n: number | undefined, fallback: number): string => String(n ?? fallback);
const pyBool = (b: boolean | undefined): string => (b ? 'True' : 'False');

/** The project's optimizer over `params`, at LEARNING_RATE (Python expression). */
export function optimizerPy(recipe: TrainingRecipe): string {
  const o = recipe.optimizer;
  switch (o.type) {
    case 'sgd':
      return `torch.optim.SGD(params, lr=LEARNING_RATE, momentum=${pyNum(o.momentum, 0)}, nesterov=${pyBool(o.nesterov && (o.momentum ?? 0) > 0)})`;
    case 'adam':
      return `torch.optim.Adam(params, lr=LEARNING_RATE, betas=(${pyNum(o.beta1, 0.9)}, ${pyNum(o.beta2, 0.999)}), eps=${pyNum(o.epsilon, 1e-8)})`;
    case 'adamw':
      return `torch.optim.AdamW(params, lr=LEARNING_RATE, betas=(${pyNum(o.beta1, 0.9)}, ${pyNum(o.beta2, 0.999)}), eps=${pyNum(o.epsilon, 1e-8)}, weight_decay=${pyNum(o.weightDecay, 0.01)})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(params, lr=LEARNING_RATE, alpha=${pyNum(o.rho, 0.99)}, eps=${pyNum(o.epsilon, 1e-8)}, momentum=${pyNum(o.momentum, 0)})`;
    default:
      return o.type satisfies never;
  }
}

/** lr at optimizer step t, as core/train/schedules.ts (exponential decays per epoch, cosine over the whole run). */
export function schedulePy(recipe: TrainingRecipe): string {
  const s = recipe.schedule;
  const decay = ((): string => {
    switch (s.type) {
      case 'constant':
        return 'return LEARNING_RATE';
      case 'step':
        return `return LEARNING_RATE * ${pyNum(s.gamma, 0.1)} ** (t // max(1, ${s.stepSize === undefined ? 'steps_per_epoch' : String(s.stepSize)}))`;
      case 'exponential':
        return `return LEARNING_RATE * ${pyNum(s.gamma, 0.9)} ** (t // max(1, steps_per_epoch))`;
      case 'cosine':
        return [
          'span = total_steps - WARMUP_STEPS',
          'p = 1.0 if span <= 0 else min(1.0, t / span)',
          `return ${pyNum(s.minLearningRate, 0)} + (LEARNING_RATE - ${pyNum(s.minLearningRate, 0)}) * 0.5 * (1 + math.cos(math.pi * p))`,
        ].join('\n    ');
      default:
        return s.type satisfies never;
    }
  })();
  return [
    'def learning_rate_at(step, steps_per_epoch, total_steps):',
    `    """The project's schedule (${s.type}, ${s.warmupSteps} warm-up steps) at optimizer step \`step\` (from 0)."""`,
    '    if step < WARMUP_STEPS:',
    '        return LEARNING_RATE * (step + 1) / WARMUP_STEPS',
    '    t = step - WARMUP_STEPS',
    `    ${decay}`,
  ].join('\n');
}

/** How a generated script is launched (module docstring lines). */
export const LAUNCH_USAGE = `One process (one GPU, or the CPU):   python train.py
One machine, N GPUs:                 torchrun --nproc_per_node=N train.py
Several machines: see README.md.     Options: python train.py --help`;

/** The imports every script needs; `extra` adds standard-library modules (kept sorted). */
export function importsPy(extra: readonly string[] = []): string {
  const stdlib = [...new Set(['argparse', 'math', 'os', 'time', ...extra])].sort();
  return [
    ...stdlib.map((m) => `import ${m}`),
    '',
    'import numpy as np',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn.functional as F',
    'from torch.nn.parallel import DistributedDataParallel',
    'from torch.utils.data import DataLoader, DistributedSampler, RandomSampler, TensorDataset',
  ].join('\n');
}

/** The recipe as module constants (the script's defaults). */
export function recipeConstantsPy(recipe: TrainingRecipe): string {
  const r = recipe.regularization;
  return [
    `EPOCHS = ${recipe.epochs}`,
    `BATCH_SIZE = ${recipe.batchSize}`,
    `SEED = ${recipe.seed}`,
    `LEARNING_RATE = ${recipe.optimizer.learningRate}`,
    `WARMUP_STEPS = ${recipe.schedule.warmupSteps}`,
    `L1 = ${r.l1}`,
    `L2 = ${r.l2}`,
    `CLIP_NORM = ${r.gradientClipNorm ?? 'None'}`,
    `CHECKPOINT_EVERY = ${recipe.checkpointEverySteps}`,
  ].join('\n');
}

/** torchrun's environment → (world, rank, device), and the process group. */
export const SETUP_DISTRIBUTED_PY = `def setup_distributed(force_cpu):
    """(world size, rank, device): torchrun sets WORLD_SIZE, RANK and LOCAL_RANK."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() and not force_cpu
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    return world, rank, device`;

/** The studio's gradient transform, applied after backward and before the optimizer step. */
export const REGULARIZE_AND_CLIP_PY = `def regularize_and_clip(params):
    """As the studio does: g += L1 * sign(p) + L2 * p, then clip by global norm."""
    if L1 or L2:
        for p in params:
            if p.grad is not None:
                p.grad.add_(p.detach(), alpha=L2).add_(p.detach().sign(), alpha=L1)
    if CLIP_NORM is not None:
        torch.nn.utils.clip_grad_norm_(params, CLIP_NORM)`;
