/** Connection states of a platform; anything else shows as sent, in grey. */
export const PLATFORM_STATUSES = ['CONNECTED', 'FAILING', 'IDLE', 'UNKNOWN'] as const;
export type PlatformStatus = (typeof PLATFORM_STATUSES)[number];
export const isPlatformStatus = (value: string): value is PlatformStatus =>
  (PLATFORM_STATUSES as readonly string[]).includes(value);

const COLORS: Record<PlatformStatus, string> = { CONNECTED: 'green', FAILING: 'red', IDLE: 'yellow', UNKNOWN: 'gray' };
export const platformStatusColor = (status: string) => (isPlatformStatus(status) ? COLORS[status] : 'gray');

export const PLATFORM_KINDS = ['SIMULATOR', 'MT5'] as const;
export const isPlatformKind = (value: string): value is (typeof PLATFORM_KINDS)[number] =>
  (PLATFORM_KINDS as readonly string[]).includes(value);

export const ASSET_CLASSES = ['FX_MAJOR', 'FX_MINOR', 'METAL', 'INDEX', 'COMMODITY', 'EQUITY', 'CRYPTO'] as const;
export const isAssetClass = (value: string): value is (typeof ASSET_CLASSES)[number] =>
  (ASSET_CLASSES as readonly string[]).includes(value);
