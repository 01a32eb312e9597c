import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  type Modifier,
  PointerSensor,
  type UniqueIdentifier,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Box } from '@mantine/core';
import { type CSSProperties, type ReactNode, useMemo } from 'react';
import { useT } from '../i18n/LocaleProvider';

/** Items move up and down only. */
const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });

export interface SortableItem {
  id: string;
  /** Read out by screen readers and in the handle's name ("Drag …"). */
  label: string;
}

/**
 * A vertical list reordered by dragging each row's handle: with a mouse or pen (after a few pixels
 * of movement), by touch on the handle, or with the keyboard (Space to lift, arrows to move, Space to
 * drop, Escape to cancel), with a sentence for screen readers at each step.
 */
export function SortableList<T extends SortableItem>({
  items,
  disabled = false,
  onMove,
  renderItem,
  testId,
}: {
  items: readonly T[];
  disabled?: boolean;
  /** Called once per drop that changed the order. */
  onMove(activeId: string, overId: string): void;
  renderItem(item: T, handle: ReactNode, index: number): ReactNode;
  testId?: string;
}) {
  const t = useT();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const announcements = useMemo<Announcements>(() => {
    const labelOf = (id: UniqueIdentifier) => items.find((item) => item.id === id)?.label ?? String(id);
    const positionOf = (id: UniqueIdentifier) => items.findIndex((item) => item.id === id) + 1;
    const total = items.length;
    return {
      onDragStart: ({ active }) =>
        t('dnd.pickedUp', { name: labelOf(active.id), position: positionOf(active.id), total }),
      onDragOver: ({ active, over }) =>
        over
          ? t('dnd.movedOver', { name: labelOf(active.id), position: positionOf(over.id), total })
          : t('dnd.notOver', { name: labelOf(active.id) }),
      onDragEnd: ({ active, over }) =>
        over
          ? t('dnd.dropped', { name: labelOf(active.id), position: positionOf(over.id), total })
          : t('dnd.cancelled', { name: labelOf(active.id) }),
      onDragCancel: ({ active }) => t('dnd.cancelled', { name: labelOf(active.id) }),
    };
  }, [items, t]);

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (over && active.id !== over.id) onMove(String(active.id), String(over.id));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[verticalOnly]}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('dnd.instructions') } }}
    >
      <SortableContext items={items.map((item) => item.id)} strategy={verticalListSortingStrategy} disabled={disabled}>
        <Box component="ol" p={0} m={0} style={{ listStyle: 'none' }} data-testid={testId}>
          {items.map((item, index) => (
            <SortableRow key={item.id} item={item}>
              {(handle) => renderItem(item, handle, index)}
            </SortableRow>
          ))}
        </Box>
      </SortableContext>
    </DndContext>
  );
}

function SortableRow({ item, children }: { item: SortableItem; children(handle: ReactNode): ReactNode }) {
  const t = useT();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: item.id,
  });
  const style: CSSProperties = {
    transform: CSS.Translate.toString(transform),
    transition,
    position: 'relative',
    zIndex: isDragging ? 2 : undefined,
  };
  const handle = (
    <ActionIcon
      ref={setActivatorNodeRef}
      variant="subtle"
      color="gray"
      size="lg"
      aria-label={t('dnd.handle', { name: item.label })}
      title={t('dnd.handleHint')}
      style={{ cursor: isDragging ? 'grabbing' : 'grab', touchAction: 'none' }}
      {...attributes}
      {...listeners}
    >
      <GripIcon />
    </ActionIcon>
  );
  return (
    <Box
      component="li"
      ref={setNodeRef}
      style={style}
      mb="xs"
      data-dragging={isDragging || undefined}
      className="bd-sortable-row"
    >
      {children(handle)}
    </Box>
  );
}

function GripIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {[3, 8, 13].map((y) => (
        <g key={y}>
          <circle cx="5.5" cy={y} r="1.4" fill="currentColor" />
          <circle cx="10.5" cy={y} r="1.4" fill="currentColor" />
        </g>
      ))}
    </svg>
  );
}
