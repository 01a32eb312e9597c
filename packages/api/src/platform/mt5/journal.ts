/**
 * The local command journal. MT5 has no idempotency key (mt5-webapi.md §2.6), so the adapter
 * remembers each command by its client-supplied `commandId`: the first call records it as PENDING
 * before anything is sent, keeps what a resumption needs (`progress`: the MT5 login it got, the
 * passwords it generated, the dealer request id…), and ends it DONE with the result or REJECTED
 * with the reason. A repeat of a finished command returns the recorded outcome without touching
 * MT5; a repeat of a PENDING one (a crash or a lost answer) first looks for the command's traces
 * on the server (the tag in the MT5 comment, see `commandTag`) before doing anything again.
 *
 * The in-memory journal below serves tests and single-process demos; a PostgreSQL journal (same
 * interface, `begin` as INSERT … ON CONFLICT DO NOTHING) comes later. Entries hold trader
 * credentials for createAccount and resetPassword: a persistent journal must encrypt them.
 */
import { createHash } from 'node:crypto';
import type { RejectReason } from '../platform';

export type JournalState = 'PENDING' | 'DONE' | 'REJECTED';

export interface JournalRejection {
  reason: RejectReason;
  message: string;
  retcode: number | null;
}

export interface JournalEntry {
  commandId: string;
  /** The adapter method, e.g. "balanceOperation". */
  kind: string;
  /** The whole command, canonical JSON: the same commandId with another command is refused. */
  fingerprint: string;
  /** What the adapter wrote into MT5 comments for this command (`commandTag`). */
  tag: string;
  state: JournalState;
  /** Epoch ms of the first attempt. */
  startedAt: number;
  /** Epoch ms of the latest attempt (a resumption counts). */
  attemptedAt: number;
  progress: Readonly<Record<string, string>>;
  /** The command's result (JSON) once DONE. */
  result?: unknown;
  rejection?: JournalRejection;
}

export interface CommandJournal {
  /** Records a new PENDING entry; when the commandId is already there, returns that entry instead. */
  begin(entry: JournalEntry): Promise<JournalEntry | null>;
  get(commandId: string): Promise<JournalEntry | undefined>;
  /** Merges into `progress` (and stamps `attemptedAt` when given). */
  progress(commandId: string, progress: Readonly<Record<string, string>>, attemptedAt?: number): Promise<void>;
  complete(commandId: string, result: unknown): Promise<void>;
  reject(commandId: string, rejection: JournalRejection): Promise<void>;
}

/** A journal in memory; entries are copied in and out, as a database would. */
export class InMemoryCommandJournal implements CommandJournal {
  private readonly entries = new Map<string, JournalEntry>();

  async begin(entry: JournalEntry): Promise<JournalEntry | null> {
    const existing = this.entries.get(entry.commandId);
    if (existing !== undefined) return structuredClone(existing);
    this.entries.set(entry.commandId, structuredClone(entry));
    return null;
  }

  async get(commandId: string): Promise<JournalEntry | undefined> {
    const entry = this.entries.get(commandId);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  async progress(commandId: string, progress: Readonly<Record<string, string>>, attemptedAt?: number): Promise<void> {
    const entry = this.require(commandId);
    entry.progress = { ...entry.progress, ...progress };
    if (attemptedAt !== undefined) entry.attemptedAt = attemptedAt;
  }

  async complete(commandId: string, result: unknown): Promise<void> {
    const entry = this.require(commandId);
    entry.state = 'DONE';
    entry.result = structuredClone(result);
  }

  async reject(commandId: string, rejection: JournalRejection): Promise<void> {
    const entry = this.require(commandId);
    entry.state = 'REJECTED';
    entry.rejection = { ...rejection };
  }

  /** Every entry (tests, diagnostics). */
  all(): JournalEntry[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  private require(commandId: string): JournalEntry {
    const entry = this.entries.get(commandId);
    if (entry === undefined) throw new Error(`no journal entry for ${commandId}`);
    return entry;
  }
}

/**
 * What a tag says a comment is for. D/W/C/P: balance operations by kind; I: the starting balance
 * of a new account (not a deposit: the phase starts there); A: a new account (user comment);
 * X: a closing dealer request.
 */
export const TAG_LETTERS = {
  DEPOSIT: 'D',
  WITHDRAWAL: 'W',
  CORRECTION: 'C',
  PAYOUT: 'P',
  INITIAL: 'I',
  ACCOUNT: 'A',
  CLOSE: 'X',
} as const;
export type TagLetter = (typeof TAG_LETTERS)[keyof typeof TAG_LETTERS];

const TAG = /^bd([A-Z])\.([A-Za-z0-9_-]{12})(?:\s|$)/;

/**
 * A command's tag for MT5 comments: "bd" + letter + "." + 12 base64url characters of
 * SHA-256(commandId), 16 characters in all, so that it fits the 31 usable characters of a
 * balance comment (§3) whatever the commandId's length. 72 bits: no two commands collide in practice.
 */
export function commandTag(letter: TagLetter, commandId: string): string {
  const digest = createHash('sha256').update(commandId, 'utf8').digest('base64url').slice(0, 12);
  return `bd${letter}.${digest}`;
}

/** The tag at the start of a comment, or null. */
export function parseTag(comment: string): { letter: string; tag: string } | null {
  const match = TAG.exec(comment);
  return match === null ? null : { letter: match[1], tag: `bd${match[1]}.${match[2]}` };
}

/** The tag, then the caller's text, cut to `max` characters (the tag always survives). */
export function taggedComment(tag: string, comment: string | undefined, max: number): string {
  const text = comment === undefined || comment.trim() === '' ? tag : `${tag} ${comment.trim()}`;
  return text.slice(0, Math.max(max, tag.length));
}
