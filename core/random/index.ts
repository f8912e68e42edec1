/** @file The engine's random numbers: Philox4x32-10 counter-based generation, stream ids, initializers. */
export { philox4x32, value, uniformAt, normalAt, fillRandom, uniformFromWord, normalFromWords } from './philox';
export { streamId } from './streams';
export { type Initializer, type Fans, fans, initialize, initializerMoments } from './initializers';
