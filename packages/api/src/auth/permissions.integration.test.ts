import { printApiSchema } from '../schema-emit';
import { startTestApi, type TestApi } from '../test/harness';
import { committedSchema as committed, documentFor, rootOperations, sampleArguments } from '../test/schema-operations';
import { PERMISSIONS } from './permissions';

const roots = rootOperations;
const operationFor = (root: string, field: (typeof roots)[number]['field']) => ({
  query: documentFor(root, field),
  variables: sampleArguments(field),
});

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
