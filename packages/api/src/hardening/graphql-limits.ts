import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type ParseOptions,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';

/**
 * What one GraphQL document may ask for. The apps' heaviest operation (the plan editor's, with
 * fragments flattened) has depth 7, static cost about 1,100, no aliases and no directives; the
 * limits leave room for that to grow while refusing the usual abuse (deep nesting, alias bombs,
 * directive floods, huge documents). `hardening/query-limits.test.ts` runs every app operation
 * through them.
 */
export const QUERY_LIMITS = {
  maxDepth: 12,
  maxCost: 8000,
  maxAliases: 20,
  maxDirectives: 20,
  maxTokens: 4000,
} as const;

/** The code a client sees for a document over one of the limits. */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type Reject = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

const reject: Reject = (context, error) => {
  context?.reportError(new GraphQLError(error.message, { extensions: { code: QUERY_TOO_COMPLEX } }));
};
const onRejection = { propagateOnRejection: false, onReject: [reject] };

/**
 * graphql-armor's depth, cost, alias and directive limits as validation rules (depth and cost
 * counted through fragments). Its token limit and suggestion mask are not used: graphql-js's own
 * `maxTokens` parse option and `withoutSuggestions` do those for both transports.
 */
export function queryLimitRules(): ValidationRule[] {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, ...onRejection },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, flattenFragments: true, ...onRejection },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...onRejection },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...onRejection },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect().validationRules;
}

/**
 * Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED; a document over a limit keeps
 * its own code (over WebSocket too), so a client can tell "too complex" from "not in the schema".
 */
export function withQueryLimitCode(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (!(original instanceof GraphQLError) || original.extensions.code !== QUERY_TOO_COMPLEX) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: QUERY_TOO_COMPLEX } };
}

/** graphql-js stops parsing past this many tokens ("Document contains more than N tokens"). */
export const parseOptions: ParseOptions = { maxTokens: QUERY_LIMITS.maxTokens };

/** "Did you mean …?" tells a stranger the schema's field names: hidden in production. */
const SUGGESTION = /\s*Did you mean .+\?/g;
export const withoutSuggestions = (message: string) => message.replace(SUGGESTION, '').trim();

/** Apollo (HTTP): strips the suggestions from every error before it is formatted. */
export function hideSuggestionsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = withoutSuggestions(error.message);
        },
      };
    },
  };
}

/** The same parse and validate for the WebSocket transport as Apollo applies on HTTP. */
export function wsParseAndValidate(production: boolean) {
  // Apollo's `introspection: false` does not reach this transport: the rule does.
  const rules = [...specifiedRules, ...queryLimitRules(), ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
  return {
    parse: (source: Parameters<typeof parse>[0]) => parse(source, parseOptions),
    validate: (schema: GraphQLSchema, document: DocumentNode) => {
      const errors = validate(schema, document, rules);
      if (!production) return errors;
      return errors.map(
        (e) =>
          new GraphQLError(withoutSuggestions(e.message), {
            nodes: e.nodes,
            extensions: { ...e.extensions, code: e.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    },
  };
}
