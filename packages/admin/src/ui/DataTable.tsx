import { Table, UnstyledButton, VisuallyHidden } from '@mantine/core';
import {
  type ColumnDef,
  createColumnHelper,
  createSortedRowModel,
  metaHelper,
  type RowData,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, useRef, useState } from 'react';
import { useT } from '../i18n/LocaleProvider';

export interface DataColumnMeta {
  /** Numbers line up at the end of the cell. */
  align?: 'start' | 'end';
  width?: number;
}

/** One feature set for every list in the console: client-side sorting, typed column meta. */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic, datetime: sortFn_datetime },
  columnMeta: metaHelper<DataColumnMeta>(),
});

type Features = typeof dataTableFeatures;
// biome-ignore lint/suspicious/noExplicitAny: columns of one table carry values of different types
export type DataColumns<T extends RowData> = ColumnDef<Features, T, any>[];

export const dataColumns = <T extends RowData>() => createColumnHelper<Features, T>();

const NO_SORTING: SortingState = [];

/**
 * A sortable table whose body is virtualised: only the rows in view (and a few around them) are in
 * the page, so thousands of accounts or audit entries stay fast. Spacer rows keep it a real table
 * (headers, row counts and row indexes for screen readers).
 */
export function DataTable<T extends RowData>({
  data,
  columns,
  getRowId,
  label,
  rowTestId,
  rowHeight = 48,
  maxHeight = 'max(420px, calc(100dvh - 300px))',
  minWidth = 900,
  initialSorting = NO_SORTING,
  testId,
}: {
  data: T[];
  columns: DataColumns<T>;
  getRowId(row: T): string;
  /** Names the table (and its scroll region) for assistive technology. */
  label: string;
  rowTestId?(row: T): string;
  rowHeight?: number;
  /** The scroll region's height limit (CSS length or pixels). */
  maxHeight?: number | string;
  minWidth?: number;
  initialSorting?: SortingState;
  testId?: string;
}) {
  const t = useT();
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: (row: T) => getRowId(row),
    state: { sorting },
    onSortingChange: setSorting,
  });
  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]!.id,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const columnCount = table.getAllLeafColumns().length;
  const headerGroups = table.getHeaderGroups();

  return (
    <section
      ref={scrollRef}
      aria-label={label}
      // Keyboard users can scroll the list too.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
      tabIndex={0}
      style={{ maxHeight, overflow: 'auto', position: 'relative' }}
    >
      <Table
        stickyHeader
        highlightOnHover
        verticalSpacing="xs"
        miw={minWidth}
        aria-rowcount={rows.length + headerGroups.length}
        data-testid={testId}
      >
        <Table.Thead>
          {headerGroups.map((group) => (
            <Table.Tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const sorted = header.column.getIsSorted();
                const content = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                const style: CSSProperties = {
                  width: meta?.width,
                  textAlign: meta?.align === 'end' ? 'end' : 'start',
                  whiteSpace: 'nowrap',
                };
                return (
                  <Table.Th
                    key={header.id}
                    style={style}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton
                        onClick={header.column.getToggleSortingHandler()}
                        fw={700}
                        fz="sm"
                        style={{ display: 'inline-flex', gap: 4, alignItems: 'center' }}
                      >
                        {content}
                        <span aria-hidden style={{ opacity: sorted ? 1 : 0.3, fontSize: 10, width: 10 }}>
                          {sorted === 'desc' ? '▼' : sorted === 'asc' ? '▲' : '↕'}
                        </span>
                        <VisuallyHidden>{t('table.sort')}</VisuallyHidden>
                      </UnstyledButton>
                    ) : (
                      content
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {before > 0 && (
            <tr aria-hidden>
              <td colSpan={columnCount} style={{ height: before, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <Table.Tr
                key={row.id}
                data-index={item.index}
                ref={virtualizer.measureElement}
                aria-rowindex={item.index + headerGroups.length + 1}
                data-testid={rowTestId?.(row.original)}
              >
                {row.getAllCells().map((cell) => {
                  const meta = cell.column.columnDef.meta;
                  return (
                    <Table.Td key={cell.id} style={{ textAlign: meta?.align === 'end' ? 'end' : 'start' }}>
                      <table.FlexRender cell={cell} />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden>
              <td colSpan={columnCount} style={{ height: after, padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </section>
  );
}
