import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSchema, lexicographicSortSchema } from 'graphql';
import { repoRoot } from './config';
import { createEventPubSub } from './events/pubsub';
import { buildApiSchema } from './schema';

export const schemaFile = path.join(repoRoot, 'packages', 'schema', 'schema.graphql');

export async function printApiSchema(): Promise<string> {
  const schema = await buildApiSchema(createEventPubSub());
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (require.main === module) {
  printApiSchema().then((sdl) => {
    fs.writeFileSync(schemaFile, sdl);
    console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
  });
}
