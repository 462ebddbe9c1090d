export * from './sdk-error.js';
