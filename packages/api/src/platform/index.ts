/** The trading-platform seam and its default implementation, the simulator. */
export * from './platform';
export { compileSessions, isSessionOpen, publicInstrument, SIM_INSTRUMENTS, type SimInstrument } from './instruments';
export { type RetryOptions, withRetry } from './retry';
export { type DriverOptions, SimulationDriver } from './simulator/driver';
export { type GroupSettings, DEFAULT_GROUP, ESMA_RETAIL_CAPS } from './simulator/accounts';
export {
  DEFAULT_GROUPS,
  DEFAULT_START,
  DEFAULT_TRADER_ACCOUNT,
  SimulatedPlatform,
  type SimulatorOptions,
} from './simulator/simulator';
export { TRADER_BEHAVIOURS, type TraderBehaviour } from './simulator/traders';
