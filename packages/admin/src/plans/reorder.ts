import { arrayMove } from '@dnd-kit/sortable';

/**
 * The order of a sortable list as the console knows it: the order the server confirmed (with its
 * revision, which a reorder sends back) and, while a reorder is on its way, the order shown meanwhile.
 */
export interface OrderState {
  ids: string[];
  revision: number;
  /** The optimistic order shown until the server answers; null when nothing is in flight. */
  pending: string[] | null;
}

export type OrderAction =
  /** The query (re)loaded: the server's order. */
  | { type: 'loaded'; ids: string[]; revision: number }
  /** The admin dropped an item: show the new order at once. */
  | { type: 'moved'; ids: string[] }
  /** The reorder mutation succeeded. */
  | { type: 'saved'; ids: string[]; revision: number }
  /** The reorder mutation failed: back to the confirmed order. */
  | { type: 'failed' }
  /** A subscription event: someone (perhaps this console) reordered. */
  | { type: 'remote'; ids: string[]; revision: number };

export const initialOrder = (ids: string[], revision: number): OrderState => ({ ids, revision, pending: null });

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

export function orderReducer(state: OrderState, action: OrderAction): OrderState {
  switch (action.type) {
    case 'loaded':
      // An older answer (a refetch that raced a newer reorder) does not undo what is known.
      if (action.revision < state.revision) return state;
      if (state.pending) return { ...state, ids: action.ids, revision: action.revision };
      if (action.revision === state.revision && same(action.ids, state.ids)) return state;
      return { ids: action.ids, revision: action.revision, pending: null };
    case 'moved':
      return { ...state, pending: action.ids };
    case 'saved':
      return { ids: action.ids, revision: Math.max(action.revision, state.revision), pending: null };
    case 'failed':
      return { ...state, pending: null };
    case 'remote':
      if (action.revision <= state.revision) return state;
      // Our own reorder's event can arrive before the mutation's answer: it confirms what is shown.
      if (state.pending && same(state.pending, action.ids)) {
        return { ids: action.ids, revision: action.revision, pending: null };
      }
      return { ids: action.ids, revision: action.revision, pending: state.pending };
  }
}

/** The order on screen. */
export const shownOrder = (state: OrderState) => state.pending ?? state.ids;

/** The order after dragging `activeId` onto `overId`, or null when nothing moves. */
export function moveId(ids: readonly string[], activeId: string, overId: string | null | undefined): string[] | null {
  if (!overId || activeId === overId) return null;
  const from = ids.indexOf(activeId);
  const to = ids.indexOf(overId);
  if (from < 0 || to < 0) return null;
  return arrayMove([...ids], from, to);
}

/** `items` in the order of `ids`; items the order does not know keep their relative place at the end. */
export function sortByIds<T extends { id: string }>(items: readonly T[], ids: readonly string[]): T[] {
  const rank = new Map(ids.map((id, i) => [id, i]));
  const known = items.filter((item) => rank.has(item.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  return [...known, ...items.filter((item) => !rank.has(item.id))];
}

/** Whether two lists hold the same ids (in any order). */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
