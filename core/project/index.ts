/** @file The project format: schema, parsing with migration, serialization. */
export * from './schema';
export * from './parse';
