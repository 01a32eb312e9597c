// The committed schema is the contract between the API and the apps: it must parse, and every
// operation the apps send must be valid against it (the API's own test checks it is current).
const fs = require('node:fs');
const path = require('node:path');
const { buildSchema, parse, validate } = require('graphql');

const schema = buildSchema(fs.readFileSync(path.join(__dirname, 'schema.graphql'), 'utf8'));

function operationFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'gql' ? [] : operationFiles(full);
    return entry.name.endsWith('.graphql') ? [full] : [];
  });
}

const files = ['admin', 'client-portal'].flatMap((app) => operationFiles(path.join(__dirname, '..', app, 'src')));

test('the apps have GraphQL operations to check', () => {
  expect(files.length).toBeGreaterThan(2);
});

test.each(files.map((f) => [path.relative(path.join(__dirname, '..'), f), f]))(
  '%s is valid against schema.graphql',
  (_name, file) => {
    const errors = validate(schema, parse(fs.readFileSync(file, 'utf8')));
    expect(errors.map((e) => e.message)).toEqual([]);
  },
);
