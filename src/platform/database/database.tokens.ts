/** Injection token of the ReadRouter that sends reads to replicas. */
export const READ_ROUTER = Symbol('READ_ROUTER');
