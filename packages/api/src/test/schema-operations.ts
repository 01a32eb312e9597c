/** TEST SUPPORT: every root operation of the committed schema, callable with sample arguments. */
import fs from 'node:fs';
import {
  buildSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  OperationTypeNode,
} from 'graphql';
import { schemaFile } from '../schema-emit';

export const committedSchema = fs.readFileSync(schemaFile, 'utf8');

export type RootName = 'Query' | 'Mutation' | 'Subscription';
export interface RootOperation {
  root: RootName;
  field: GraphQLField<unknown, unknown>;
  /** e.g. "Mutation.updateBrand", as the permission table names it. */
  name: string;
}

const schema = buildSchema(committedSchema);
const KIND: Record<RootName, OperationTypeNode> = {
  Query: OperationTypeNode.QUERY,
  Mutation: OperationTypeNode.MUTATION,
  Subscription: OperationTypeNode.SUBSCRIPTION,
};

export const rootOperations: RootOperation[] = (['Query', 'Mutation', 'Subscription'] as const).flatMap((root) => {
  const type = schema.getRootType(KIND[root]);
  return type ? Object.values(type.getFields()).map((field) => ({ root, field, name: `${root}.${field.name}` })) : [];
});

/** A value of the right shape for any argument type, so every operation can be called. */
export function sample(type: GraphQLInputType): unknown {
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

/** The operation's document, selecting just `__typename` of an object result. */
export function documentFor(root: string, field: GraphQLField<unknown, unknown>): string {
  const args = field.args as readonly GraphQLArgument[];
  const vars = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return `${root.toLowerCase()} Op${vars ? `(${vars})` : ''} { ${field.name}${call}${selection} }`;
}

/** Sample arguments for every argument of the field. */
export function sampleArguments(field: GraphQLField<unknown, unknown>): Record<string, unknown> {
  return Object.fromEntries((field.args as readonly GraphQLArgument[]).map((a) => [a.name, sample(a.type)]));
}
