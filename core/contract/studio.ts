/**
 * @file The studio contract: every message between the renderer and the desktop services.
 * One entry per message, each with a request and a response schema; both sides parse what
 * arrives. Electron's preload and the web-mode client expose the same `StudioApi`, so the
 * renderer cannot tell the transports apart.
 */
import { z } from 'zod';
import { ProjectSchema } from '../project/schema';

export const CONTRACT_VERSION = 1;

export const TEMPLATE_NAMES = ['neuron', 'mnist-mlp', 'mnist-cnn', 'mnist-gan', 'sensor-lstm', 'text-transformer'] as const;
export const TemplateNameSchema = z.enum(TEMPLATE_NAMES);
export type TemplateName = z.infer<typeof TemplateNameSchema>;

const FilePath = z.string().min(1).max(4096);
const Empty = z.object({}).strict();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  contractVersion: z.number().int(),
  /** Which host runs the services; the renderer uses `capabilities`, never this, to decide what to show. */
  host: z.enum(['desktop', 'web', 'test']),
  platform: z.string(),
  capabilities: z.object({
    /** Native open/save dialogs exist (desktop); otherwise the renderer shows its own pickers. */
    nativeDialogs: z.boolean(),
    /** Native application menu exists (desktop); otherwise the renderer draws a menu bar. */
    nativeMenu: z.boolean(),
  }),
  /** The folder where new projects are created unless the user picks another. */
  workspaceDir: z.string(),
  /** A project to open at start (the sample project when launched by `npm start`). */
  startupProject: z.string().nullable(),
});

export const TemplateInfoSchema = z.object({
  name: TemplateNameSchema,
  title: z.string(),
  description: z.string(),
  available: z.boolean(),
});

export const ProjectSummarySchema = z.object({
  path: z.string(),
  name: z.string(),
  modifiedAt: z.string(),
});

export const OpenedProjectSchema = z.object({
  /** The project folder. */
  path: z.string(),
  project: ProjectSchema,
  /** Set when the file was written by an older studio and migrated on load. */
  migratedFrom: z.number().int().optional(),
});

export const SavedProjectSchema = z.object({ path: z.string(), savedAt: z.string() });

export const PathChoiceSchema = z.object({ path: z.string().nullable() });

/** Unsaved work kept beside (never over) a project's file, so a crash loses at most a few seconds. */
export const RecoverySchema = z.object({
  project: ProjectSchema,
  /** ISO time the recovery file was written. */
  writtenAt: z.string(),
});

const RunId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a run id: letters, digits, dot, dash or underscore');
const RunControl = z.object({ runId: RunId }).strict();

/** A run event (core/train/events.ts, versioned): the type and version are checked here, the body by its reader. */
export const RunEventSchema = z.looseObject({ type: z.string(), v: z.number().int() });

/** One run of a project as its folder records it. */
export const RunSummarySchema = z.object({
  runId: z.string(),
  project: z.string(),
  recipe: z.string(),
  startedAt: z.string(),
  backend: z.string(),
  epochs: z.number(),
  seed: z.number(),
  kfold: z.number().optional(),
  resumes: z.number(),
  status: z.enum(['running', 'completed', 'stopped', 'failed']),
  step: z.number(),
  metrics: z.record(z.string(), z.number()),
  hasCheckpoint: z.boolean(),
});

/** A dataset reference as the project file holds it (source, kind, options), for the dataset messages. */
const DatasetRefRequestSchema = z.object({
  source: z.string().min(1).max(4096),
  kind: z.enum(['idx', 'images', 'csv', 'timeseries', 'text', 'npy', 'builtin']),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** What importing a dataset gives (core/data/describe.ts). */
export const DatasetDescriptionSchema = z.object({
  source: z.string(),
  kind: z.enum(['idx', 'images', 'csv', 'timeseries', 'text', 'npy', 'builtin']),
  samples: z.number().int(),
  testSamples: z.number().int(),
  fields: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), dtype: z.enum(['f32', 'i32']) })),
  classes: z.array(z.object({ name: z.string(), count: z.number().int() })).optional(),
  columns: z
    .array(
      z.object({
        name: z.string(),
        type: z.enum(['number', 'category', 'ignore']),
        missing: z.number().int(),
        min: z.number().optional(),
        max: z.number().optional(),
        mean: z.number().optional(),
        std: z.number().optional(),
        categories: z.array(z.object({ name: z.string(), count: z.number().int() })).optional(),
      }),
    )
    .optional(),
  /** Token names of a text dataset (ids index it). */
  vocabulary: z.array(z.string()).optional(),
  notes: z.array(z.string()),
  problems: z.array(z.string()),
});
export type DatasetDescriptionMessage = z.infer<typeof DatasetDescriptionSchema>;

const DatasetRequest = { path: FilePath, dataset: DatasetRefRequestSchema, seed: z.number().int().min(0).optional(), validationSplit: z.number().min(0).max(0.9).optional() };

/** Every request the renderer can make. Add a message here and the type checker names each place that must handle it. */
export const studioRequests = {
  getAppInfo: { request: Empty, response: AppInfoSchema },
  listTemplates: { request: Empty, response: z.array(TemplateInfoSchema) },
  listRecentProjects: { request: Empty, response: z.array(ProjectSummarySchema) },
  listWorkspaceProjects: { request: Empty, response: z.array(ProjectSummarySchema) },
  createProject: {
    request: z.object({ template: TemplateNameSchema, name: z.string().trim().min(1).max(120), dir: FilePath.optional() }).strict(),
    response: OpenedProjectSchema,
  },
  openProject: { request: z.object({ path: FilePath }).strict(), response: OpenedProjectSchema },
  saveProject: { request: z.object({ path: FilePath, project: ProjectSchema }).strict(), response: SavedProjectSchema },
  showOpenDialog: { request: Empty, response: PathChoiceSchema },
  showSaveDialog: { request: z.object({ suggestedName: z.string().max(120) }).strict(), response: PathChoiceSchema },
  /** Autosave: keep the unsaved state of the project at `path` in its recovery file (not the project file). */
  writeRecovery: { request: z.object({ path: FilePath, project: ProjectSchema }).strict(), response: z.object({ writtenAt: z.string() }) },
  /** The unsaved work left for the project at `path` by a session that did not save it, if any. */
  readRecovery: { request: z.object({ path: FilePath }).strict(), response: z.object({ recovery: RecoverySchema.nullable() }) },
  /** Forget the recovery file of the project at `path` (after a save, or when the user declines it). */
  discardRecovery: { request: z.object({ path: FilePath }).strict(), response: Empty },
  /** Train the saved project at `path` in an engine-host worker; events arrive as `runEvents`. `resume`: continue the newest stopped run (true) or the named one from its last checkpoint. */
  startRun: {
    request: z
      .object({ path: FilePath, backend: z.enum(['auto', 'cpu', 'webgpu']).optional(), epochs: z.number().int().min(1).max(100000).optional(), resume: z.union([z.boolean(), RunId]).optional() })
      .strict(),
    response: z.object({ runId: z.string() }),
  },
  pauseRun: { request: RunControl, response: Empty },
  resumeRun: { request: RunControl, response: Empty },
  /** Stop after the current step; a checkpoint is written, so the run can be resumed. */
  stopRun: { request: RunControl, response: Empty },
  /** The project's run history, newest first (each run folder keeps its settings and a copy of the project it trained). */
  listRuns: { request: z.object({ path: FilePath }).strict(), response: z.array(RunSummarySchema) },
  /** A run's logged events (steps every 10th), for overlaying past runs. */
  readRunEvents: { request: z.object({ path: FilePath, runId: RunId }).strict(), response: z.object({ events: z.array(RunEventSchema) }) },
  /** Import a dataset of the project at `path` (relative sources resolve there) and describe it: fields, classes, columns, problems. */
  describeDataset: { request: z.object(DatasetRequest).strict(), response: z.object({ description: DatasetDescriptionSchema }) },
  /** A page of samples of a dataset's train or test split, field by field (values flattened per field). */
  previewDataset: {
    request: z.object({ ...DatasetRequest, split: z.enum(['train', 'test']), start: z.number().int().min(0), count: z.number().int().min(1).max(256) }).strict(),
    response: z.object({ start: z.number().int(), count: z.number().int(), fields: z.record(z.string(), z.array(z.number())) }),
  },
  /**
   * Export the trained model of the project at `path` into `<project>/exports/`: a run's checkpoint
   * (default: the newest run with one; best when it has one, else last) as safetensors (+ the
   * project), ONNX, or a PyTorch folder. `reveal`: show the result in the file manager (desktop).
   */
  exportProject: {
    request: z
      .object({ path: FilePath, format: z.enum(['safetensors', 'onnx', 'pytorch']), runId: RunId.optional(), checkpoint: z.enum(['last', 'best']).optional(), reveal: z.boolean().optional() })
      .strict(),
    response: z.object({ path: z.string(), files: z.array(z.string()), source: z.string(), notes: z.array(z.string()), revealed: z.boolean() }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type RequestName = keyof typeof studioRequests;
export const REQUEST_NAMES = Object.keys(studioRequests) as RequestName[];
export type RequestOf<K extends RequestName> = z.input<(typeof studioRequests)[K]['request']>;
export type ResponseOf<K extends RequestName> = z.output<(typeof studioRequests)[K]['response']>;

export const MENU_COMMANDS = ['new', 'open', 'save', 'saveAs', 'export', 'undo', 'redo'] as const;
export const MenuCommandSchema = z.object({ command: z.enum(MENU_COMMANDS), path: z.string().optional() });

/** Every event the services push to the renderer. */
export const studioEvents = {
  menuCommand: MenuCommandSchema,
  /** A batch of a run's events (throttled: at most a few batches a second). */
  runEvents: z.object({ runId: z.string(), path: z.string(), events: z.array(RunEventSchema) }),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof studioEvents;
export const EVENT_NAMES = Object.keys(studioEvents) as EventName[];
export type EventOf<K extends EventName> = z.output<(typeof studioEvents)[K]>;

export type Unsubscribe = () => void;

/** What `window.studio` is: one function per request, one subscription per event. */
export type StudioApi = { [K in RequestName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> } & {
  onMenuCommand(listener: (event: EventOf<'menuCommand'>) => void): Unsubscribe;
  /** Batches of training-run events as runs go (the dashboards follow them live). */
  onRunEvents(listener: (event: EventOf<'runEvents'>) => void): Unsubscribe;
};

/** Stable error codes a reply can carry. */
export const ERROR_CODES = ['E_BAD_REQUEST', 'E_FORBIDDEN', 'E_NOT_FOUND', 'E_PROJECT_INVALID', 'E_IO', 'E_UNAVAILABLE', 'E_INTERNAL', 'E_DATASET', 'E_EXPORT'] as const;
export type StudioErrorCode = (typeof ERROR_CODES)[number];

export const ReplyErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For E_PROJECT_INVALID: what is wrong and where. */
  diagnostics: z
    .array(
      z.object({
        code: z.string(),
        severity: z.string(),
        message: z.string(),
        networkId: z.string().optional(),
        nodeId: z.string().optional(),
        port: z.string().optional(),
        edgeId: z.string().optional(),
        path: z.string().optional(),
      }),
    )
    .optional(),
});
export type ReplyError = z.infer<typeof ReplyErrorSchema>;

/** What crosses the transport for every request: a value or a clear error, never a thrown stack. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ReplyError };

/** The error a client raises when a reply carries one. */
export class StudioError extends Error {
  constructor(
    readonly code: StudioErrorCode,
    message: string,
    readonly diagnostics: ReplyError['diagnostics'] = undefined,
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/** Parse an incoming request payload; a failure names the message and the field. */
export function parseRequest<K extends RequestName>(name: K, payload: unknown): { ok: true; value: z.output<(typeof studioRequests)[K]['request']> } | { ok: false; error: ReplyError } {
  const schema = studioRequests[name].request as z.ZodType;
  const parsed = schema.safeParse(payload ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as z.output<(typeof studioRequests)[K]['request']> };
  const first = parsed.error.issues[0];
  const where = first && first.path.length ? ` (at ${first.path.join('.')})` : '';
  return { ok: false, error: { code: 'E_BAD_REQUEST', message: `Bad ${name} request${where}: ${first?.message ?? 'invalid payload'}` } };
}

/** Parse a reply as it arrives in the renderer, and unwrap it or raise a StudioError. */
export function unwrapReply<K extends RequestName>(name: K, reply: unknown): ResponseOf<K> {
  const envelope = z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: ReplyErrorSchema })]).safeParse(reply);
  if (!envelope.success) throw new StudioError('E_INTERNAL', `The studio sent a malformed reply to ${name}.`);
  if (!envelope.data.ok) throw new StudioError(envelope.data.error.code, envelope.data.error.message, envelope.data.error.diagnostics);
  const value = (studioRequests[name].response as z.ZodType).safeParse(envelope.data.value);
  if (!value.success) throw new StudioError('E_INTERNAL', `The studio sent an unexpected ${name} reply: ${value.error.issues[0]?.message}`);
  return value.data as ResponseOf<K>;
}

/** The handler table a host implements: exhaustive over the requests by type. */
export type StudioHandlers = { [K in RequestName]: (request: z.output<(typeof studioRequests)[K]['request']>) => Promise<ResponseOf<K>> };
