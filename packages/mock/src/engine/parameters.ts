import type { IHttpParam } from '@stoplight/types';
import { compileSchema, violationsOf, type JsonSchema, type Violation } from './validation.js';

/**
 * Query, header and path parameters, deserialised by their OpenAPI `style` and validated as one
 * object per location, as Prism 5.12 does (prism-http `validator/validators/params` and
 * `validator/deserializers`): names compared in lower case, values coerced to their schema's type,
 * a parameter the deserialiser gives nothing for (or an empty string) counted as absent.
 */

type Values = Record<string, unknown>;
type Deserializer = (name: string, values: Values, schema: JsonSchema | undefined, explode?: boolean) => unknown;

const keyValueList = (items: string[]) =>
  items.reduce<Record<string, string | undefined>>((object, item, index) => {
    if (index % 2 === 0) object[item] = undefined;
    else object[items[index - 1]!] = item;
    return object;
  }, {});
const lastOf = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value) as string;
const pairs = (value: string) =>
  value.split(',').reduce<Record<string, string | undefined>>((result, pair) => {
    const [key, item] = pair.split('=');
    return { ...result, [key!]: item };
  }, {});

const formStyle: Deserializer = (name, values, schema, explode = true) => {
  const type = schema?.type;
  const value = values[name];
  if (!(type === 'object' && explode) && !value) return undefined;
  if (type === 'array') return explode ? (Array.isArray(value) ? value : [value]) : lastOf(value).split(',');
  if (type === 'object') {
    if (!explode) return keyValueList(lastOf(value).split(','));
    const properties = (schema?.properties ?? {}) as Record<string, unknown>;
    return Object.keys(values).reduce<Values>((result, key) => (Object.prototype.hasOwnProperty.call(properties, key) ? { ...result, [key]: values[key] } : result), {});
  }
  return value;
};

const delimitedStyle =
  (separator: string): Deserializer =>
  (name, values, schema, explode = false) => {
    const value = values[name];
    if (schema?.type !== 'array') throw new Error('Space/pipe/comma.. delimited style is only applicable to array parameter');
    if (explode) return Array.isArray(value) ? value : [value];
    const last = lastOf(value);
    return last ? last.split(separator) : '';
  };

const deepObjectStyle: Deserializer = (name, values, schema) => {
  const resolve = (path: string[]) => name + path.map((part) => `[${part}]`).join('');
  const construct = (path: string[], definition: JsonSchema): unknown => {
    if (definition.type === 'object') {
      const properties = (definition.properties ?? {}) as Record<string, JsonSchema>;
      return Object.keys(properties).reduce<Values>((result, key) => ({ ...result, [key]: construct([...path, key], properties[key]!) }), {});
    }
    if (definition.type === 'array') {
      const pattern = new RegExp(`^${resolve(path).replace(/\[/g, '\\[').replace(/\]/g, '\\]')}\\[([0-9]+)\\]`);
      const indexes = Object.keys(values).reduce<Record<string, null>>((list, key) => {
        const match = pattern.exec(key);
        return match ? { ...list, [match[1]!]: null } : list;
      }, {});
      return Object.keys(indexes).map((index) => construct([...path, String(index)], (definition.items ?? {}) as JsonSchema));
    }
    return values[resolve(path)];
  };
  return construct([], schema ?? {});
};

// Unlike Prism's, the simple, label and matrix styles take a parameter that was not sent as absent
// (Prism's split it and failed the whole request with a TypeError: a 500 for an optional header).
const simpleStyle: Deserializer = (name, values, schema, explode) => {
  const value = values[name] as string | undefined;
  if (value === undefined) return undefined;
  if (schema?.type === 'array') return value === '' ? [] : value.split(',');
  if (schema?.type === 'object') return explode ? pairs(value) : keyValueList(value.split(','));
  return value;
};

const labelStyle: Deserializer = (name, values, schema, explode = false) => {
  if (values[name] === undefined) return undefined;
  if (!(values[name] as string).startsWith('.')) throw new Error('Label serialization style requires parameter to be prefixed with "."');
  const value = (values[name] as string).slice(1);
  if (schema?.type === 'array') return value === '' ? [] : value.split(explode ? '.' : ',');
  if (schema?.type === 'object') return explode ? pairs(value) : keyValueList(value.split(','));
  return value;
};

const matrixStyle: Deserializer = (name, values, schema, explode = false) => {
  if (values[name] === undefined) return undefined;
  if (!(values[name] as string).startsWith(';')) throw new Error('Matrix serialization style requires parameter to be prefixed with ";"');
  const value = (values[name] as string).slice(1);
  const primitive = (text: string) => {
    if (!text.startsWith(`${name}=`)) throw new Error('Matrix serialization style requires parameter to be prefixed with name');
    return text.slice(name.length + 1);
  };
  if (schema?.type === 'array') {
    if (explode) return value === '' ? [] : value.split(';').map(primitive);
    const raw = primitive(value);
    return raw === '' ? [] : raw.split(',');
  }
  if (schema?.type === 'object') {
    return explode ? value.split(';').reduce<Values>((result, pair) => ({ ...result, [pair.split('=')[0]!]: pair.split('=')[1] }), {}) : keyValueList(primitive(value).split(','));
  }
  return primitive(value);
};

const queryStyles: Record<string, Deserializer> = {
  form: formStyle,
  spaceDelimited: delimitedStyle('%20'),
  pipeDelimited: delimitedStyle('|'),
  commaDelimited: delimitedStyle(','),
  deepObject: deepObjectStyle,
  simple: formStyle,
  unspecified: formStyle,
};

/** The deserialisers of form-encoded body properties (`encoding.style`): the query's. */
export const formBodyStyles: Record<string, Deserializer> = queryStyles;

const locations = {
  query: { styles: queryStyles, defaultStyle: 'form' },
  header: { styles: { simple: simpleStyle } as Record<string, Deserializer>, defaultStyle: 'simple' },
  path: { styles: { simple: simpleStyle, label: labelStyle, matrix: matrixStyle } as Record<string, Deserializer>, defaultStyle: 'simple' },
} as const;

export type ParameterLocation = keyof typeof locations;

/** Validates the parameters of one location of one operation; compiled once. */
export type ParametersValidator = (values: Values) => Violation[];

/**
 * The validator of an operation's parameters in `location`: their schemas as the properties of
 * one object (names in lower case, `required` from each parameter), compiled with coercion.
 *
 * @param parameters - The operation's parameters there (Prism's model).
 * @param location - `query`, `header` or `path`.
 * @param bundle - The operation's `__bundled__`.
 * @param context - `Request` (default), or `Response` for the headers of an answer.
 * @returns A function of the request's values there (header names in any case).
 */
export function compileParameters(parameters: IHttpParam[], location: ParameterLocation, bundle: unknown, context: 'Request' | 'Response' = 'Request'): ParametersValidator {
  const { styles, defaultStyle } = locations[location];
  const capitalised = `${location[0]!.toUpperCase()}${location.slice(1)}`;
  const byName = new Map<string, IHttpParam>();
  for (const parameter of parameters) byName.set(parameter.name.toLowerCase(), parameter);
  const properties: Record<string, unknown> = {};
  for (const [name, parameter] of byName) if (parameter.schema) properties[name] = parameter.schema;
  const schema: JsonSchema = { type: 'object', properties, required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name.toLowerCase()) };
  const validate = parameters.length > 0 ? compileSchema(schema, true, bundle) : undefined;
  const deprecated = parameters.filter((parameter) => parameter.deprecated);

  return (values) => {
    const warnings: Violation[] = deprecated
      .filter((parameter) => values[parameter.name])
      .map((parameter) => ({ path: [location, parameter.name], code: 'deprecated', message: `${capitalised} param ${parameter.name} is deprecated`, severity: 1 }));
    if (parameters.length === 0) return warnings;
    const lowered: Values = {};
    for (const name in values) lowered[name.toLowerCase()] = values[name];
    const deserialised: Values = {};
    for (const [name, parameter] of byName) {
      const deserializer = styles[parameter.style ?? defaultStyle];
      if (!deserializer) continue;
      const value = deserializer(name, lowered, properties[name] as JsonSchema | undefined, parameter.explode || false);
      // Prism keeps only truthy values: an empty string is a missing parameter.
      if (value) deserialised[name] = value;
    }
    return [...violationsOf(validate, deserialised, context, location), ...warnings];
  };
}

/**
 * The path parameters of a request path, as Prism reads them (uri-template-lite's `match`): each
 * `{name}` of the template matches lazily, the value is split at commas (a list when there are
 * several) and percent-decoded. Undefined when the path does not fit the template.
 *
 * @param template - The operation's path, e.g. `/auth/transactions/{transactionId}/pin`.
 */
export function compilePathTemplate(template: string): (path: string) => Values | undefined {
  const names: string[] = [];
  const source = template.replace(/\{([^}]+)\}|[^{]+/g, (part, name: string | undefined) => {
    if (name === undefined) return part.replace(/[$-/?[-^{|}]/g, '\\$&');
    names.push(name);
    return '(.*?)';
  });
  const pattern = new RegExp(`^${source}$`);
  return (path) => {
    const match = pattern.exec(path);
    if (!match) return undefined;
    const values: Values = {};
    names.forEach((name, index) => {
      const parts = (match[index + 1] ?? '').split(',').map((part) => decodeURIComponent(part));
      values[name] = parts.length > 1 ? parts : parts[0];
    });
    return values;
  };
}
