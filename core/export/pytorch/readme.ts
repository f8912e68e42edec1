/** @file README.md of a PyTorch export: what the files are and how to train on one GPU, many, or several machines. */
import type { Project } from '../../project/schema';
import type { PyPlan } from './plan';

export function readmeMd(plan: PyPlan, project: Project, engineVersion: string, trainable = true, dataFields?: readonly string[]): string {
  const t = project.training;
  const gan = t.recipe === 'adversarial';
  const fields = dataFields ?? [...plan.inputs.map((i) => i.name), ...plan.targets.map((x) => x.name).filter((n) => !plan.inputs.some((i) => i.name === n))];
  return `# ${project.name} in PyTorch

Exported by Brrr Studio ${engineVersion}. Runs on PyTorch 1.13 and 2.x (numpy is the only other package).

| File | What it is |
|---|---|
| \`model.py\` | \`${plan.className}\`: the network as an \`nn.Module\`, one attribute per canvas node (named after the node id); \`load_brrr_weights\` / \`save_brrr_weights\` map the studio's weights to the state dict and back |
${gan ? `| \`discriminator.py\` | the discriminator as an \`nn.Module\`, same layout (its weights are not in weights.safetensors) |
` : ''}| \`weights.safetensors\` | the weights from the studio (names \`node.weight\`; Dense kernels [in, out], transposed on load) |
${trainable ? `| \`train.py\` | the project's recipe: ${t.optimizer.type} at ${t.optimizer.learningRate}, ${t.schedule.type} schedule, batch ${t.batchSize}, ${t.epochs} epochs, seed ${t.seed}${gan ? `; adversarial: an optimizer per network, ${typeof t.options.discriminatorSteps === 'number' ? Math.max(1, Math.floor(t.options.discriminatorSteps)) : 1} discriminator step(s) per generator step, non-saturating generator loss` : ''} |
` : ''}| \`data/\` | the dataset as \`train_<field>.npy\` / \`test_<field>.npy\` (fields: ${fields.map((f) => `\`${f}\``).join(', ')}) |

## Use the trained model

\`\`\`python
import torch
from model import ${plan.className}, load_brrr_weights
model = ${plan.className}()
load_brrr_weights(model, "weights.safetensors")
model.eval()
with torch.no_grad():
    prediction = model(${plan.inputs.map((i) => `${i.py}_batch`).join(', ')})  # ${plan.inputs.map((i) => `${i.py}: [batch, ${i.shape.join(', ')}]`).join('; ')}
\`\`\`

${
    trainable
      ? ''
      : `## Train

No train.py here: the project trains with the ${t.recipe} recipe, which this export does not write as a
PyTorch script yet (or the network has no loss). model.py and the weights are complete.
`
  }${trainable ? `## Train

One process (one GPU, or the CPU):

\`\`\`sh
python train.py                       # from a fresh initialisation
python train.py --weights weights.safetensors   # fine-tune the studio's weights
python train.py --max-steps 100 --cpu # a quick check
\`\`\`

All GPUs of one machine (DistributedDataParallel, one process per GPU, NCCL):

\`\`\`sh
torchrun --nproc_per_node=8 train.py
\`\`\`

Several machines (here 2 × 8 GPUs): run on every machine, with its own \`--node_rank\`, the
address of machine 0 as \`--master_addr\` and a free port:

\`\`\`sh
# machine 0
torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 --master_addr=10.0.0.1 --master_port=29500 train.py
# machine 1
torchrun --nnodes=2 --node_rank=1 --nproc_per_node=8 --master_addr=10.0.0.1 --master_port=29500 train.py
\`\`\`

Every process reads the same \`data/\` folder (copy it to each machine or use a shared disk) and
sees its own shard through a \`DistributedSampler\`. \`--batch-size\` is per process, so N processes
train on N × batch per step: raise the learning rate (or lower the batch) to match the studio's run.
On machines without CUDA, torchrun runs the same script with the gloo backend on the CPU.
With PyTorch 1.13 on Python 3.11 or newer, torchrun fails in \`to_map\` ("'NoneType' object has no
attribute 'get'") unless given \`--redirects 1 --tee 1\`.

${gan ? `Rank 0 writes \`runs/samples_epoch<N>.png\` (and \`.npy\`: a grid from the same noise every epoch), \`runs/checkpoint.pt\`
every ${t.checkpointEverySteps} steps and at each epoch end (\`--resume\` continues from it), and at the end
\`runs/weights.safetensors\` (the generator) and \`runs/discriminator.safetensors\` under the studio's names.
` : `Rank 0 evaluates on the validation split (${Math.round(t.validationSplit * 100)}% of the training data, drawn with the seed) after each
epoch, writes \`runs/checkpoint.pt\` every ${t.checkpointEverySteps} steps and at each epoch end (\`--resume\`
continues from it), and at the end \`runs/weights.safetensors\` under the studio's names, ready to import back into the studio.
`}` : ''}`;
}
