/**
 * Sends platform events to the API's ingestion endpoint the way a platform bridge does: in order,
 * in batches of NDJSON (one event per line), with a bearer token, retrying while the API is
 * unreachable or overloaded. Events carry stable ids, so a batch sent twice (an answer lost after
 * the API stored it) is deduplicated there; nothing is dropped here.
 */
import { type PlatformEvent, rejected, unavailable } from '../platform';
import { withRetry } from '../retry';

export interface SenderOptions {
  url: string;
  token?: string;
  /** Sent as `X-Platform-Server`, so that the API knows whose events these are. */
  server: string;
  /** Largest batch [2000 events]. */
  batchSize?: number;
  fetchImpl?: typeof fetch;
  /** Waits between retries; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

export class EventSender {
  private queue: PlatformEvent[] = [];
  private sending: Promise<void> | null = null;
  sent = 0;
  /** A rejection the API will repeat (bad token, bad payload): sending stops. */
  failure: Error | null = null;

  constructor(private readonly options: SenderOptions) {}

  get queued(): number {
    return this.queue.length;
  }

  enqueue(events: readonly PlatformEvent[]): void {
    if (this.failure !== null) return;
    for (const event of events) this.queue.push(event);
    this.sending ??= this.sendAll().finally(() => {
      this.sending = null;
    });
  }

  /** Resolves once everything queued so far has been accepted (or sending failed for good). */
  async drain(): Promise<void> {
    while (this.sending !== null) await this.sending;
  }

  private async sendAll(): Promise<void> {
    const size = this.options.batchSize ?? 2_000;
    while (this.queue.length > 0 && this.failure === null) {
      const batch = this.queue.slice(0, size);
      try {
        // A platform bridge buffers through an outage of any length: retry without a limit.
        await withRetry(() => this.post(batch), { attempts: Number.POSITIVE_INFINITY, sleep: this.options.sleep });
        this.queue = this.queue.slice(batch.length);
        this.sent += batch.length;
      } catch (error) {
        this.failure = error instanceof Error ? error : new Error(String(error));
      }
    }
  }

  private async post(batch: readonly PlatformEvent[]): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-ndjson',
      'x-platform-server': this.options.server,
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    const body = `${batch.map((event) => JSON.stringify(event)).join('\n')}\n`;
    let response: Response;
    try {
      response = await (this.options.fetchImpl ?? fetch)(this.options.url, { method: 'POST', headers, body });
    } catch (error) {
      throw unavailable(`cannot reach ${this.options.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.ok) return;
    const detail = `${response.status} ${(await response.text().catch(() => '')).slice(0, 200)}`;
    if (response.status === 429 || response.status >= 500) throw unavailable(`ingestion busy or failing: ${detail}`);
    throw rejected('INVALID_REQUEST', `ingestion refused the batch: ${detail}`);
  }
}
