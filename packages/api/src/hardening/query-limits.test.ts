import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { repoRoot } from '../config';
import { parseOptions, QUERY_LIMITS, QUERY_TOO_COMPLEX, queryLimitRules } from './graphql-limits';

const schema = buildSchema(fs.readFileSync(path.join(repoRoot, 'packages/schema/schema.graphql'), 'utf8'));
const rules = [...specifiedRules, ...queryLimitRules()];

function operationFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'gql' ? [] : operationFiles(full);
    return entry.name.endsWith('.graphql') ? [full] : [];
  });
}
const files = ['admin', 'client-portal'].flatMap((app) => operationFiles(path.join(repoRoot, 'packages', app, 'src')));

describe('the query limits', () => {
  it('has app operations to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  // Each file holds an app's operations with the fragments they use: what the app really sends.
  it.each(files.map((f) => [path.relative(repoRoot, f), f]))('let %s through', (_name, file) => {
    const document = parse(fs.readFileSync(file, 'utf8'), parseOptions);
    expect(validate(schema, document, rules).map((e) => e.message)).toEqual([]);
  });

  const limited = (query: string) =>
    validate(schema, parse(query), rules)
      .filter((e) => e.extensions.code === QUERY_TOO_COMPLEX)
      .map((e) => e.message);

  it('refuses deep nesting, alias bombs and directive floods', () => {
    const deep = `{ brands ${'{ colors '.repeat(QUERY_LIMITS.maxDepth)}{ primary }${' }'.repeat(QUERY_LIMITS.maxDepth)} }`;
    expect(limited(deep)).toEqual([expect.stringMatching(/depth limit/i)]);
    const aliases = `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: supportedLocales`).join(' ')} }`;
    expect(limited(aliases)).toEqual([expect.stringMatching(/aliases limit/i)]);
    const directives = `{ supportedLocales ${'@include(if: true) '.repeat(50)}}`;
    expect(limited(directives)).toEqual([expect.stringMatching(/directives limit/i)]);
  });

  it('stops parsing a document with too many tokens', () => {
    const huge = `{ ${'supportedLocales '.repeat(QUERY_LIMITS.maxTokens)}}`;
    expect(() => parse(huge, parseOptions)).toThrow(/contains more tha[nt] \d+ tokens/);
  });
});
