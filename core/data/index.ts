/** @file Datasets as the engine sees them: fields, batches, splits, and the formats parsed in pure TypeScript. */
export * from './dataset';
export * from './idx';
export * from './split';
export * from './blobs';
