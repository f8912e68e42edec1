/**
 * @file The project file, version 1: networks drawn on the canvas, the training recipe and the
 * datasets they bind to. Plain JSON, parsed (never trusted) wherever it arrives.
 */
import { z } from 'zod';

export const PROJECT_FORMAT = 'brrr-project';
export const PROJECT_VERSION = 1;
/** The file inside a project folder that holds the document. */
export const PROJECT_FILE_NAME = 'project.brrr.json';

const Id = z.string().min(1).max(200);

export const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

export const NodeSchema = z.object({
  id: Id,
  /** A layer type from the registry (core/layers). */
  type: z.string().min(1),
  label: z.string().optional(),
  /** Parameter values keyed by the layer's parameter schema; checked by validation, not here. */
  params: z.record(z.string(), z.unknown()).default({}),
  position: PositionSchema,
});

export const PortRefSchema = z.object({ node: Id, port: z.string().min(1) });

export const EdgeSchema = z.object({ id: Id, source: PortRefSchema, target: PortRefSchema });

/** A named, collapsible block made from a selection of nodes. */
export const GroupSchema = z.object({
  id: Id,
  name: z.string().min(1),
  nodeIds: z.array(Id),
  collapsed: z.boolean().default(false),
});

export const NetworkSchema = z.object({
  id: Id,
  name: z.string().min(1),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema),
  groups: z.array(GroupSchema).default([]),
});

export const OptimizerSchema = z.object({
  type: z.enum(['sgd', 'adam', 'adamw', 'rmsprop']),
  learningRate: z.number().positive(),
  momentum: z.number().min(0).max(1).optional(),
  nesterov: z.boolean().optional(),
  beta1: z.number().min(0).max(1).optional(),
  beta2: z.number().min(0).max(1).optional(),
  epsilon: z.number().positive().optional(),
  weightDecay: z.number().min(0).optional(),
  rho: z.number().min(0).max(1).optional(),
});

export const ScheduleSchema = z.object({
  type: z.enum(['constant', 'step', 'exponential', 'cosine']),
  warmupSteps: z.number().int().min(0).default(0),
  stepSize: z.number().int().positive().optional(),
  gamma: z.number().positive().optional(),
  minLearningRate: z.number().min(0).optional(),
});

export const RegularizationSchema = z.object({
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
  gradientClipNorm: z.number().positive().optional(),
});

/** Where the training data comes from and how it feeds the graph. */
export const DatasetRefSchema = z.object({
  id: Id,
  /** `builtin:mnist`, `builtin:sensors`, or a path relative to the project folder. */
  source: z.string().min(1),
  kind: z.enum(['idx', 'images', 'csv', 'timeseries', 'text', 'npy', 'builtin']),
  options: z.record(z.string(), z.unknown()).default({}),
});

export const TrainingSchema = z.object({
  recipe: z.enum(['supervised', 'adversarial']),
  /** The network trained by a supervised recipe; generator and discriminator for an adversarial one. */
  networks: z.record(z.string(), Id),
  datasetId: Id.optional(),
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  seed: z.number().int().min(0),
  optimizer: OptimizerSchema,
  schedule: ScheduleSchema.default({ type: 'constant', warmupSteps: 0 }),
  regularization: RegularizationSchema.default({ l1: 0, l2: 0 }),
  metrics: z.array(z.string()).default([]),
  validationSplit: z.number().min(0).max(0.9).default(0.1),
  kfold: z.number().int().min(2).optional(),
  earlyStopping: z
    .object({ metric: z.string(), patience: z.number().int().positive(), mode: z.enum(['min', 'max']) })
    .optional(),
  checkpointEverySteps: z.number().int().positive().default(500),
  /** Recipe-specific settings (for example discriminator steps per generator step). */
  options: z.record(z.string(), z.unknown()).default({}),
});

export const ProjectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().default(''),
  networks: z.array(NetworkSchema).min(1),
  training: TrainingSchema,
  datasets: z.array(DatasetRefSchema).default([]),
});

export type Position = z.infer<typeof PositionSchema>;
export type ProjectNode = z.infer<typeof NodeSchema>;
export type PortRef = z.infer<typeof PortRefSchema>;
export type ProjectEdge = z.infer<typeof EdgeSchema>;
export type NodeGroup = z.infer<typeof GroupSchema>;
export type Network = z.infer<typeof NetworkSchema>;
export type OptimizerConfig = z.infer<typeof OptimizerSchema>;
export type ScheduleConfig = z.infer<typeof ScheduleSchema>;
export type DatasetRef = z.infer<typeof DatasetRefSchema>;
export type TrainingRecipe = z.infer<typeof TrainingSchema>;
export type Project = z.infer<typeof ProjectSchema>;
