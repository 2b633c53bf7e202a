export { deriveCases, operationPointer } from './derive-cases.ts';
