import { initialOrder, moveId, orderReducer, sameMembers, shownOrder, sortByIds } from './reorder';

describe('moveId (arrayMove by ids)', () => {
  const ids = ['a', 'b', 'c', 'd'];

  it('moves an item down and up', () => {
    expect(moveId(ids, 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
    expect(moveId(ids, 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(moveId(ids, 'a', 'b')).toEqual(['b', 'a', 'c', 'd']);
  });

  it('returns null when nothing moves', () => {
    expect(moveId(ids, 'a', 'a')).toBeNull();
    expect(moveId(ids, 'a', null)).toBeNull();
    expect(moveId(ids, 'x', 'a')).toBeNull();
  });

  it('does not change the list it was given', () => {
    const copy = [...ids];
    moveId(copy, 'a', 'd');
    expect(copy).toEqual(ids);
  });
});

describe('orderReducer: optimistic order with rollback', () => {
  const loaded = orderReducer(initialOrder([], -1), { type: 'loaded', ids: ['a', 'b', 'c'], revision: 4 });

  it('shows a move at once and keeps it when the server agrees', () => {
    const moved = orderReducer(loaded, { type: 'moved', ids: ['b', 'a', 'c'] });
    expect(shownOrder(moved)).toEqual(['b', 'a', 'c']);
    expect(moved.revision).toBe(4);
    const saved = orderReducer(moved, { type: 'saved', ids: ['b', 'a', 'c'], revision: 5 });
    expect(saved).toEqual({ ids: ['b', 'a', 'c'], revision: 5, pending: null });
  });

  it('rolls back to the confirmed order when the server refuses', () => {
    const moved = orderReducer(loaded, { type: 'moved', ids: ['c', 'a', 'b'] });
    const failed = orderReducer(moved, { type: 'failed' });
    expect(shownOrder(failed)).toEqual(['a', 'b', 'c']);
    expect(failed.revision).toBe(4);
  });

  it('follows another console, ignoring events it already has', () => {
    const remote = orderReducer(loaded, { type: 'remote', ids: ['c', 'b', 'a'], revision: 5 });
    expect(remote).toEqual({ ids: ['c', 'b', 'a'], revision: 5, pending: null });
    expect(orderReducer(remote, { type: 'remote', ids: ['a', 'b', 'c'], revision: 5 })).toBe(remote);
    expect(orderReducer(remote, { type: 'remote', ids: ['a', 'b', 'c'], revision: 3 })).toBe(remote);
  });

  it("takes its own reorder's event, arriving before the answer, as the confirmation", () => {
    const moved = orderReducer(loaded, { type: 'moved', ids: ['b', 'a', 'c'] });
    const event = orderReducer(moved, { type: 'remote', ids: ['b', 'a', 'c'], revision: 5 });
    expect(event).toEqual({ ids: ['b', 'a', 'c'], revision: 5, pending: null });
    // …and the late answer changes nothing.
    expect(orderReducer(event, { type: 'saved', ids: ['b', 'a', 'c'], revision: 5 })).toEqual(event);
  });

  it("keeps showing its move over someone else's until its own answer (a CONFLICT) rolls it back", () => {
    const moved = orderReducer(loaded, { type: 'moved', ids: ['b', 'a', 'c'] });
    const other = orderReducer(moved, { type: 'remote', ids: ['c', 'a', 'b'], revision: 5 });
    expect(shownOrder(other)).toEqual(['b', 'a', 'c']);
    expect(shownOrder(orderReducer(other, { type: 'failed' }))).toEqual(['c', 'a', 'b']);
  });

  it('ignores a stale reload and takes a newer one', () => {
    const saved = orderReducer(loaded, { type: 'saved', ids: ['b', 'a', 'c'], revision: 5 });
    expect(orderReducer(saved, { type: 'loaded', ids: ['a', 'b', 'c'], revision: 4 })).toBe(saved);
    expect(orderReducer(saved, { type: 'loaded', ids: ['a', 'c', 'b', 'd'], revision: 7 })).toEqual({
      ids: ['a', 'c', 'b', 'd'],
      revision: 7,
      pending: null,
    });
    expect(orderReducer(saved, { type: 'loaded', ids: ['b', 'a', 'c'], revision: 5 })).toBe(saved);
  });
});

describe('list helpers', () => {
  it('sorts items by an order, unknown ones last', () => {
    const items = [{ id: 'a' }, { id: 'new' }, { id: 'b' }, { id: 'c' }];
    expect(sortByIds(items, ['c', 'a', 'b']).map((i) => i.id)).toEqual(['c', 'a', 'b', 'new']);
    expect(sortByIds(items, ['zzz']).map((i) => i.id)).toEqual(['a', 'new', 'b', 'c']);
  });

  it('compares memberships', () => {
    expect(sameMembers(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameMembers(['a', 'b'], ['a', 'c'])).toBe(false);
    expect(sameMembers(['a'], ['a', 'b'])).toBe(false);
  });
});
