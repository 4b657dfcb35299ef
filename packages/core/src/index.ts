export * from './api.js';
export * from './errors.js';
export * from './event.js';
export * from './extensions.js';
export * from './limits.js';
export * from './plans.js';
export * from './text.js';
export * from './time.js';
