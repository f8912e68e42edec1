/** @file Datasets as the engine sees them: fields, batches, splits, and the formats parsed in pure TypeScript. */
export * from './dataset';
export * from './idx';
export * from './split';
export * from './blobs';
export * from './errors';
export * from './sniff';
export * from './npy';
export * from './table';
export * from './timeseries';
export * from './seriesTable';
export * from './sensors';
export * from './text';
export * from './chunked';
export * from './augment';
export * from './describe';
export * from './normalize';
