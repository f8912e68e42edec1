/** @file The studio's message contract between renderer and services. */
export * from './studio';
