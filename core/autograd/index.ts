/** @file Public surface of reverse-mode differentiation. */
export { grad, vjp } from './grad';
export { vjpRules, unbroadcast, type VjpRule, type VjpArgs } from './vjpRules';
