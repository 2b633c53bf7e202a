import type { OpenAPIV3 } from 'openapi-types';

export type OpenApiDocument = OpenAPIV3.Document;
export type OperationObject = OpenAPIV3.OperationObject;
export type ParameterObject = OpenAPIV3.ParameterObject;
export type ResponseObject = OpenAPIV3.ResponseObject;
export type RequestBodyObject = OpenAPIV3.RequestBodyObject;
export type SchemaObject = OpenAPIV3.SchemaObject;

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof httpMethods)[number];
