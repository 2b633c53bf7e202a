import { describe, expect, it } from 'vitest';
import { diffSurfaces, sdkSurface } from '../src/index.ts';

// The code-level rules on hand-written SDK sources shaped like typescript-fetch's: a class whose
// method takes a request object and returns a model, and the models. Each row edits them.
const api = (request: string, method = 'getThing(requestParameters: GetThingRequest, initOverrides?: RequestInit): Promise<Thing>') => `
export interface GetThingRequest {
${request}
}
export class ThingsApi {
  async ${method} { return null as never; }
  async getThingRaw(requestParameters: GetThingRequest): Promise<ApiResponse<Thing>> { return null as never; }
}`;
const model = (members: string) => `
export interface Thing {
${members}
}
export const ThingStatusEnum = { STARTED: 'STARTED', COMPLETED: 'COMPLETED' } as const;
export type ThingStatusEnum = typeof ThingStatusEnum[keyof typeof ThingStatusEnum];
export function ThingFromJSON(json: any): Thing { return json; }`;
const files = (request: string, members: string, extra = '', method?: string) => ({ 'apis/ThingsApi.ts': api(request, method), 'models/Thing.ts': model(members) + extra });
const base = files('  id: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;');

const rows: { name: string; head: Record<string, string>; rule: string; level: string; symbol: string }[] = [
  { name: 'a required request member added', head: files('  id: string;\n  expand?: string;\n  otp: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;'), rule: 'code-member-added', level: 'breaking', symbol: 'GetThingRequest.otp' },
  { name: 'an optional request member added', head: files('  id: string;\n  expand?: string;\n  fields?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;'), rule: 'code-member-added', level: 'safe', symbol: 'GetThingRequest.fields' },
  { name: 'an optional request member removed', head: files('  id: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;'), rule: 'code-member-removed', level: 'warning', symbol: 'GetThingRequest.expand' },
  { name: 'an optional response member removed', head: files('  id: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;'), rule: 'code-member-removed', level: 'warning', symbol: 'Thing.note' },
  { name: 'a required response member removed', head: files('  id: string;\n  expand?: string;', '  id: string;\n  note?: string;'), rule: 'code-member-removed', level: 'breaking', symbol: 'Thing.status' },
  { name: 'a response member became optional', head: files('  id: string;\n  expand?: string;', '  id: string;\n  status?: ThingStatusEnum;\n  note?: string;'), rule: 'code-member-became-optional', level: 'breaking', symbol: 'Thing.status' },
  { name: 'a request member became optional', head: files('  id?: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;'), rule: 'code-member-became-optional', level: 'safe', symbol: 'GetThingRequest.id' },
  { name: 'a request member renamed', head: files('  thingId: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;'), rule: 'code-member-renamed', level: 'breaking', symbol: 'GetThingRequest.id' },
  { name: 'an enum constant removed', head: { ...base, 'models/Thing.ts': base['models/Thing.ts'].replace(", COMPLETED: 'COMPLETED'", '') }, rule: 'code-member-removed', level: 'breaking', symbol: 'ThingStatusEnum.COMPLETED' },
  { name: 'a method renamed', head: files('  id: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;', '', 'fetchThing(requestParameters: GetThingRequest, initOverrides?: RequestInit): Promise<Thing>'), rule: 'code-method-renamed', level: 'breaking', symbol: 'ThingsApi.getThing' },
  { name: 'a method returns something else', head: files('  id: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;', '', 'getThing(requestParameters: GetThingRequest, initOverrides?: RequestInit): Promise<void>'), rule: 'code-method-return-type-changed', level: 'breaking', symbol: 'ThingsApi.getThing' },
  { name: 'a model added', head: files('  id: string;\n  expand?: string;', '  id: string;\n  status: ThingStatusEnum;\n  note?: string;', '\nexport interface Refund { id?: string; }'), rule: 'code-declaration-added', level: 'safe', symbol: 'Refund' },
];

// The factory and its options as sdk-gen and client-gen write them: the options' type argument is
// the `auth` callers pass; a model's primitive union is what they read.
const factory = (auth: string) => ({
  ...base,
  'sdk.ts': `export type ThingsSdkOptions = ClientOptions<${auth}>;\nexport function createThingsSdk(options: ThingsSdkOptions): ThingsApi { return null as never; }`,
  'models/Channel.ts': "export type Channel = 'WEB' | 'WAP';\nexport interface Sale { channel: Channel; }",
  'apis/SalesApi.ts': 'export class SalesApi {\n  async getSale(): Promise<Sale> { return null as never; }\n}',
});
const unionRows: { name: string; before: Record<string, string>; after: Record<string, string>; changes: { rule: string; level: string; text: string }[] }[] = [
  {
    name: 'the auth option gains a scheme (an alternative added)',
    before: factory('OAuth2Auth'),
    after: factory('OAuth2Auth | BearerAuth'),
    changes: [{ rule: 'code-union-member-added', level: 'safe', text: '`BearerAuth` added to `ThingsSdkOptions`' }],
  },
  {
    name: 'the auth option loses a scheme',
    before: factory('OAuth2Auth | BearerAuth'),
    after: factory('BearerAuth'),
    changes: [{ rule: 'code-union-member-removed', level: 'breaking', text: '`OAuth2Auth` removed from `ThingsSdkOptions`: code that passes it no longer compiles' }],
  },
  {
    name: 'the auth option replaces one scheme by another',
    before: factory('ApiKeyAuth'),
    after: factory('BasicAuth'),
    changes: [
      { rule: 'code-union-member-removed', level: 'breaking', text: '`ApiKeyAuth` removed from `ThingsSdkOptions`: code that passes it no longer compiles' },
      { rule: 'code-union-member-added', level: 'safe', text: '`BasicAuth` added to `ThingsSdkOptions`' },
    ],
  },
  { name: 'the auth option written in another order', before: factory('OAuth2Auth | BearerAuth'), after: factory('BearerAuth | OAuth2Auth'), changes: [] },
  {
    name: 'a value added to a primitive union a response carries',
    before: factory('OAuth2Auth'),
    after: { ...factory('OAuth2Auth'), 'models/Channel.ts': "export type Channel = 'WEB' | 'WAP' | 'APP';\nexport interface Sale { channel: Channel; }" },
    changes: [{ rule: 'code-union-member-added', level: 'warning', text: "`'APP'` added to `Channel`: code that handles each member may meet one it does not know" }],
  },
];

describe('the generated code level: what each change of an SDK surface does to callers', () => {
  it.each(unionRows)('$name', ({ before, after, changes }) => {
    const found = diffSurfaces(sdkSurface(before), sdkSurface(after));
    expect(found.map(({ rule, level, text }) => ({ rule, level, text }))).toEqual(changes);
  });

  it.each(rows)('$name: $level $rule', ({ head, rule, level, symbol }) => {
    const changes = diffSurfaces(sdkSurface(base), sdkSurface(head));
    expect(changes, JSON.stringify(changes, null, 1)).toContainEqual(expect.objectContaining({ rule, level, symbol }));
  });

  it('derived functions and method variants follow their model and method, and docs are no change', () => {
    const reworded = Object.fromEntries(Object.entries(base).map(([name, text]) => [name, text.replace('export interface Thing {', '/** A thing. */\nexport interface Thing {')]));
    expect(diffSurfaces(sdkSurface(base), sdkSurface(reworded))).toEqual([]);
    const keys = [...sdkSurface(base).keys()];
    expect(keys).not.toContain('ThingFromJSON');
    expect(keys).not.toContain('ThingsApi.getThingRaw');
  });
});
