/** The CFD risk module: pure (no I/O, no clock, no database), fed by the services that wire it. */
export * from './errors';
export * from './exposure';
export * from './margin-book';
export * from './margin-change';
export * from './rates';
export * from './risk-group';
