import fs from 'node:fs';
import {
  OperationTypeNode,
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { printApiSchema, schemaFile } from '../schema-emit';
import { startTestApi, type TestApi } from '../test/harness';
import { PERMISSIONS } from './permissions';

const committed = fs.readFileSync(schemaFile, 'utf8');
const schema = buildSchema(committed);
const roots = (['Query', 'Mutation', 'Subscription'] as const).flatMap((root) => {
  const type = schema.getRootType(
    root === 'Query'
      ? OperationTypeNode.QUERY
      : root === 'Mutation'
        ? OperationTypeNode.MUTATION
        : OperationTypeNode.SUBSCRIPTION,
  );
  return type ? Object.values(type.getFields()).map((field) => ({ root, field })) : [];
});

/** A value of the right shape for any argument type, so every operation can be called. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).map((f) => [f.name, sample(f.type)]));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return '00000000-0000-4000-8000-000000000000';
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTimeISO':
        return '2026-01-01T00:00:00Z';
      case 'JSONObject':
        return {};
      default:
        return 'sample';
    }
  }
  return null;
}

function operationFor(root: string, field: GraphQLField<unknown, unknown>) {
  const args = field.args as readonly GraphQLArgument[];
  const vars = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const keyword = root.toLowerCase();
  return {
    query: `${keyword} Op${vars ? `(${vars})` : ''} { ${field.name}${call}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, sample(a.type)])),
  };
}

describe('the permission table', () => {
  it('the committed schema.graphql is what the API emits (run `pnpm schema:emit` when this fails)', async () => {
    expect(await printApiSchema()).toBe(committed);
  });

  it('has an explicit rule for every root operation, and no rule for an operation that does not exist', () => {
    const operations = roots.map(({ root, field }) => `${root}.${field.name}`).sort();
    expect(operations.filter((op) => !PERMISSIONS[op])).toEqual([]);
    expect(Object.keys(PERMISSIONS).filter((op) => !operations.includes(op))).toEqual([]);
  });
});

describe('every operation called anonymously', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi();
  });
  afterAll(() => t.stop());

  const guarded = roots.filter(({ root, field }) => {
    const rule = PERMISSIONS[`${root}.${field.name}`];
    return root !== 'Subscription' && rule && !('public' in rule);
  });

  it.each(guarded.map(({ root, field }) => [`${root}.${field.name}`, root, field] as const))(
    '%s answers UNAUTHENTICATED and changes nothing',
    async (_name, root, field) => {
      const before = await t.sql('SELECT count(*)::int AS n, max(updated_at) AS changed FROM brand');
      const { query, variables } = operationFor(root, field);
      const result = await t.gql(query, variables);
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(await t.sql('SELECT count(*)::int AS n, max(updated_at) AS changed FROM brand')).toEqual(before);
    },
  );
});
