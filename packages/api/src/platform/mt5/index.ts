/**
 * The MetaTrader 5 Manager Web API adapter (README.md beside this file). The fake server and the
 * test helpers are test support and deliberately not exported.
 */
export { Mt5Platform, type Mt5PlatformOptions, newPassword } from './adapter';
export { passwordHash, randAnswer } from './auth';
export {
  type CallOptions,
  type Mt5Answer,
  Mt5Client,
  type Mt5ClientOptions,
  type Mt5Logger,
  type Mt5Transport,
} from './client';
export { Mt5Error, parseRetcode, reasonOf, TRANSIENT_RETCODES } from './errors';
export {
  type CommandJournal,
  commandTag,
  InMemoryCommandJournal,
  type JournalEntry,
  type JournalRejection,
  type JournalState,
  parseTag,
} from './journal';
export { dealEvents, positionEvent, quotesFromPositions } from './mapping';
export { Mt5Poller, type Mt5PollerOptions } from './poller';
export { DEFAULT_SETTINGS, type Mt5Settings, RIGHTS, resolveSettings } from './settings';
