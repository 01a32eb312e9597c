import { Badge, Code, Drawer, Group, Stack, Table, Text } from '@mantine/core';
import type { AuditEntryFieldsFragment } from '../gql/graphql';
import { useLocale, useT } from '../i18n/LocaleProvider';
import { formatTimestamp } from '../ui/format';
import { displayValue } from './audit-filter';

/** One audit entry: who, when, from where, and each changed field before and after. */
export function AuditDiffDrawer({
  entry,
  onClose,
  timeZone,
}: {
  entry: AuditEntryFieldsFragment | null;
  onClose(): void;
  timeZone: string;
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Drawer
      opened={entry !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={entry ? t('audit.drawerTitle', { operation: entry.operation }) : ''}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {entry && (
        <Stack data-testid="audit-diff">
          <Table variant="vertical" withTableBorder layout="fixed">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>{t('audit.column.at')}</Table.Th>
                <Table.Td>{formatTimestamp(entry.at, locale, timeZone)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('audit.column.actor')}</Table.Th>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm">{entry.actor ?? '—'}</Text>
                    <Badge size="xs" variant="light" color="gray" tt="none">
                      {entry.actorKind}
                    </Badge>
                  </Group>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('audit.column.target')}</Table.Th>
                <Table.Td>
                  {entry.targetType} <Code>{entry.targetId ?? '—'}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('audit.requestId')}</Table.Th>
                <Table.Td>
                  <Code>{entry.requestId ?? '—'}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('audit.ip')}</Table.Th>
                <Table.Td>
                  <Code>{entry.ip ?? '—'}</Code>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {entry.changes.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('audit.noChanges')}
            </Text>
          ) : (
            <Table withTableBorder verticalSpacing="xs" layout="fixed" data-testid="audit-diff-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="22%">{t('plan.versions.field')}</Table.Th>
                  <Table.Th>{t('plan.versions.before')}</Table.Th>
                  <Table.Th>{t('plan.versions.after')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entry.changes.map((change) => (
                  <Table.Tr key={change.field} data-testid={`diff-${change.field}`}>
                    <Table.Td>
                      <Code>{change.field}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Value json={change.before} tone="before" />
                    </Table.Td>
                    <Table.Td>
                      <Value json={change.after} tone="after" />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

function Value({ json, tone }: { json: string | null | undefined; tone: 'before' | 'after' }) {
  const t = useT();
  const text = displayValue(json);
  if (text === null) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t('plan.versions.none')}
      </Text>
    );
  }
  return (
    <Code
      block
      data-testid={`diff-${tone}`}
      bg={tone === 'before' ? 'red.0' : 'green.0'}
      style={{
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-word',
        borderInlineStart: `3px solid var(--mantine-color-${tone === 'before' ? 'red' : 'green'}-6)`,
      }}
    >
      {text}
    </Code>
  );
}
