import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { parse as parseCookies } from 'cookie';
import express from 'express';
import { type ExecutionResult, GraphQLError, type GraphQLSchema, getOperationAST, parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { pinoHttp } from 'pino-http';
import { WebSocketServer } from 'ws';
import { asRequestError, httpProblem, RequestGate } from './apikeys/admission';
import { authorizeIngest } from './apikeys/ingest-auth';
import { createRateLimiter } from './apikeys/rate-limit';
import { SESSION_COOKIE } from './auth/auth.resolver';
import { TRADER_COOKIE } from './traders/trader.resolver';
import { authorize } from './auth/authorize';
import { toClientError } from './common/error-format';
import { AppError } from './common/errors';
import {
  hideSuggestionsPlugin,
  parseOptions,
  queryLimitRules,
  withQueryLimitCode,
  wsParseAndValidate,
} from './hardening/graphql-limits';
import { UnknownPlatformError } from './ingestion/ingestion.service';
import { type AppServices, buildContext, type RequestContext, viewerFromToken } from './context';
import { repoRoot } from './config';
import { buildApiSchema } from './schema';

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  stop(): Promise<void>;
}

const bearer = (header: unknown) =>
  typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;

function requestId(header: unknown): string {
  return typeof header === 'string' && /^[\w.-]{8,80}$/.test(header) ? header : randomUUID();
}

/** The built SPAs, served by the API so that one process on one port is a whole working system. */
function serveApp(app: express.Express, mount: string, dist: string) {
  if (!fs.existsSync(path.join(dist, 'index.html'))) return false;
  const index = path.join(dist, 'index.html');
  app.use(mount, express.static(dist, { index: false, maxAge: '1h' }));
  const fallback = mount === '/' ? '/{*rest}' : `${mount}{/*rest}`;
  app.get(fallback, (_req, res) => res.setHeader('Cache-Control', 'no-cache').sendFile(index));
  return true;
}

export async function startServer(services: AppServices, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const { config, log } = services;
  const schema: GraphQLSchema = await buildApiSchema(services.pubsub);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const production = config.NODE_ENV === 'production';
  // Per-key (and per-IP for anonymous) rate limits; shared through Redis when REDIS_URL is set.
  const gate = new RequestGate(createRateLimiter(config.REDIS_URL, log));
  const logError = (err: unknown) => log.error({ err }, 'recording an API key use failed');

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { ctx?: RequestContext }>(
    {
      schema,
      // The same depth/cost/alias/directive/token limits as HTTP (and no introspection in production).
      ...wsParseAndValidate(production),
      // Each operation gets its own context (and EntityManager), built from the connection's viewer.
      context: async (ctx) => {
        const token =
          bearer(ctx.connectionParams?.authorization) ??
          cookieToken(ctx.extra.request.headers.cookie, ctx.connectionParams?.app);
        const viewer = await viewerFromToken(services, token);
        const context = buildContext(services, viewer, randomUUID(), {
          meta: { ip: ctx.extra.request.socket.remoteAddress },
        });
        ctx.extra.ctx = context;
        return context;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // Subscriptions are authorised when subscribed, with the same table as queries and mutations.
        const token =
          bearer(ctx.connectionParams?.authorization) ??
          cookieToken(ctx.extra.request.headers.cookie, ctx.connectionParams?.app);
        try {
          const viewer = await viewerFromToken(services, token);
          // Each operation on a socket takes a token from the key's (or anonymous IP's) bucket.
          await gate.admit(viewer, ctx.extra.request.socket.remoteAddress);
          const { em } = buildContext(services, viewer, randomUUID(), { meta: {} });
          const document = parse(payload.query, parseOptions);
          const operation = getOperationAST(document, payload.operationName);
          if (operation?.operation === 'subscription') {
            for (const selection of operation.selectionSet.selections) {
              if (selection.kind !== 'Field') continue;
              const args = Object.fromEntries(
                (selection.arguments ?? []).map((a) => [
                  a.name.value,
                  a.value.kind === 'Variable'
                    ? payload.variables?.[a.value.name.value]
                    : 'value' in a.value
                      ? a.value.value
                      : undefined,
                ]),
              );
              await authorize(viewer, `Subscription.${selection.name.value}`, args, em);
            }
          }
        } catch (error) {
          const formatted = toClientError(new GraphQLError(String((error as Error).message)), error, log);
          return [new GraphQLError(formatted.message, { extensions: formatted.extensions })];
        }
        return undefined;
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        const execution = result as ExecutionResult;
        if (!execution.errors) return result;
        return {
          ...execution,
          errors: execution.errors.map((e) => toClientError(e.toJSON(), e, log, ctx.extra.ctx?.requestId)),
        } as unknown as ExecutionResult;
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // A simple request (form post, no preflight) is refused unless it carries a JSON content type
    // or an `apollo-require-preflight` / `x-apollo-operation-name` header.
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions,
    validationRules: queryLimitRules(),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
      { serverWillStart: async () => ({ serverWillStop: () => gate.close() }) },
      ...(production ? [hideSuggestionsPlugin()] : []),
    ],
    formatError: (formatted, error) => toClientError(withQueryLimitCode(formatted, error), error, log),
  });
  await apollo.start();

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const id = requestId(req.headers['x-request-id']);
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await services.orm.em.getConnection().execute('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });

  app.use(
    '/uploads',
    (_req, res, next) => {
      // Uploaded files are served inert: an SVG logo can never run script in our origin.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      next();
    },
    express.static(config.uploadsDir, { index: false, fallthrough: false }),
  );

  // The streaming way in for bridges: one platform's events as NDJSON, acknowledged only once the
  // whole batch is durable in the journal. Per-item errors in the answer; the same eventId twice
  // is stored once.
  app.post('/ingest/:platformId', express.text({ type: () => true, limit: '20mb' }), async (req, res, next) => {
    let partner: Awaited<ReturnType<typeof authorizeIngest>>;
    try {
      const deps = { root: services.orm.em, ingestToken: config.INGEST_TOKEN, gate, onError: logError };
      partner = await authorizeIngest(deps, bearer(req.headers.authorization), String(req.params.platformId), req.ip);
    } catch (error) {
      if (!(error instanceof AppError)) return next(error);
      const problem = httpProblem(error);
      if (problem.retryAfter) res.setHeader('Retry-After', String(problem.retryAfter));
      res.status(problem.status).json(problem.body);
      return;
    }
    const lines = String(req.body ?? '')
      .split('\n')
      .filter((line) => line.trim().length > 0);
    const events = lines.map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return line;
      }
    });
    try {
      const byPartner = partner ? { viewer: partner, requestId: String(req.id), ip: req.ip } : undefined;
      res.json(await services.ingestion.ingest(String(req.params.platformId), events, byPartner));
    } catch (error) {
      if (error instanceof UnknownPlatformError) {
        res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such platform' } });
        return;
      }
      next(error);
    }
  });

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const token =
          bearer(req.headers.authorization) ?? cookieToken(req.headers.cookie, req.headers['x-brokerdeck-app']);
        const viewer = await viewerFromToken(services, token).catch(asRequestError);
        await gate.admit(viewer, req.ip).catch(asRequestError);
        const secure = req.secure || req.headers['x-forwarded-proto'] === 'https';
        return buildContext(services, viewer, String(req.id), {
          meta: {
            ip: req.ip,
            userAgent: req.headers['user-agent'],
            origin: req.headers.origin ?? `${req.protocol}://${req.headers.host}`,
          },
          setCookie: (name, value, { maxAgeSeconds }) =>
            res.cookie(name, value, {
              httpOnly: true,
              sameSite: 'lax',
              secure,
              maxAge: maxAgeSeconds * 1000,
              path: '/',
            }),
          clearCookie: (name) => res.clearCookie(name, { path: '/' }),
        });
      },
    }),
  );

  const apps = path.join(repoRoot, 'packages');
  const admin = serveApp(app, '/admin', path.join(apps, 'admin', 'dist'));
  const portal = serveApp(app, '/', path.join(apps, 'client-portal', 'dist'));
  if (!admin || !portal) log.warn({ admin, portal }, 'an app is not built; run pnpm build to serve it');

  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));
  const actualPort = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${actualPort}`;
  return {
    url,
    port: actualPort,
    httpServer,
    stop: async () => {
      // Apollo's drain plugin stops accepting connections and waits for in-flight requests.
      await apollo.stop();
    },
  };
}

/**
 * The session cookie of the app asking: the client portal (header `x-brokerdeck-app: portal`, or
 * WebSocket connection parameter `app: 'portal'`) signs traders in with its own cookie, since the
 * admin at /admin and the portal at / share an origin; everything else uses the staff cookie.
 */
function cookieToken(header: string | undefined, app?: unknown): string | undefined {
  if (!header) return undefined;
  return parseCookies(header)[app === 'portal' ? TRADER_COOKIE : SESSION_COOKIE];
}
