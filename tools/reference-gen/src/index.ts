export { listInferred, fidelityReport, type InferredElement } from './inferred.ts';
export { annotateBehaviour, behaviourSection, listBehaviour, type Behaviour } from './behaviour.ts';
export { annotateInferred, renderReference, type ReferenceApi, type ReferenceFiles } from './render.ts';
export { placeInferred, type Place } from './place.ts';
export { writeReference } from './write.ts';
