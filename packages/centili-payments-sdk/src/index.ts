export * from './generated/index.js';
export * from './generated/sdk.js';
