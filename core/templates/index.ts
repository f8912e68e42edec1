/**
 * @file Project templates: the models people come for, each a complete project document that
 * opens from the start screen and from `brrr new NAME DIR`.
 */
import type { TemplateName } from '../contract/studio';
import { PROJECT_FORMAT, PROJECT_VERSION, type Project } from '../project/schema';
import { mnistCnn } from './mnistCnn';
import { mnistGan } from './mnistGan';
import { mnistMlp } from './mnistMlp';
import { neuron } from './neuron';
import { sensorLstm } from './sensorLstm';
import { textTransformer } from './textTransformer';

export interface TemplateDef {
  name: TemplateName;
  title: string;
  description: string;
  /** Builds the document; `projectName` becomes its name. */
  build(projectName: string): Project;
}

/** Templates that exist; a name of the contract without one here is listed as not yet available. */
const templates: Partial<Record<TemplateName, TemplateDef>> = {
  neuron,
  'mnist-mlp': mnistMlp,
  'mnist-cnn': mnistCnn,
  'mnist-gan': mnistGan,
  'sensor-lstm': sensorLstm,
  'text-transformer': textTransformer,
};

const PLANNED: Record<TemplateName, { title: string; description: string }> = {
  neuron: { title: 'Sigmoid neuron', description: 'One neuron, two features, trained by backpropagation.' },
  'mnist-mlp': { title: 'MNIST MLP', description: 'A 784-256-10 multilayer perceptron on handwritten digits.' },
  'mnist-cnn': { title: 'MNIST CNN', description: 'A convolutional network for handwritten digits.' },
  'mnist-gan': { title: 'MNIST GAN', description: 'A generator and a discriminator trained against each other.' },
  'sensor-lstm': { title: 'Predictive maintenance LSTM', description: 'Failure prediction from multi-machine sensor series.' },
  'text-transformer': { title: 'Text transformer', description: 'A small causal language model on a bundled corpus.' },
};

export function templateInfos(): { name: TemplateName; title: string; description: string; available: boolean }[] {
  return (Object.keys(PLANNED) as TemplateName[]).map((name) => {
    const def = templates[name];
    return def ? { name, title: def.title, description: def.description, available: true } : { name, ...PLANNED[name], available: false };
  });
}

export function findTemplate(name: string): TemplateDef | undefined {
  return (templates as Record<string, TemplateDef | undefined>)[name];
}

/** The skeleton every template fills. */
export function projectSkeleton(name: string, description: string): Pick<Project, 'format' | 'version' | 'name' | 'description'> {
  return { format: PROJECT_FORMAT, version: PROJECT_VERSION, name, description };
}
