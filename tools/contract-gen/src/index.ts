export { deriveCases, linkedParameters, operationPointer } from './derive-cases.ts';
